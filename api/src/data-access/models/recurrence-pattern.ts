import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { RecurrenceAnchor, RecurrenceFrequency } from '@todo/contracts';

/** One pattern per series; every instance of the series shares it. */
export class RecurrencePatternModel extends Model<
  InferAttributes<RecurrencePatternModel>,
  InferCreationAttributes<RecurrencePatternModel>
> {
  declare seriesId: string;
  declare userId: string;
  declare frequency: RecurrenceFrequency;
  declare interval: number;
  declare byWeekday: number[] | null;
  declare byMonthday: number | null;
  declare endDate: Date | null;
  declare maxOccurrences: number | null;
  declare rrule: string | null;
  declare anchor: RecurrenceAnchor;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initialize(sequelize: Sequelize): void {
    RecurrencePatternModel.init(
      {
        seriesId: { type: DataTypes.UUID, primaryKey: true },
        userId: { type: DataTypes.TEXT, allowNull: false },
        frequency: { type: DataTypes.STRING(16), allowNull: false },
        interval: { type: DataTypes.INTEGER, allowNull: false },
        byWeekday: { type: DataTypes.ARRAY(DataTypes.SMALLINT) },
        byMonthday: { type: DataTypes.SMALLINT },
        endDate: { type: DataTypes.DATE },
        maxOccurrences: { type: DataTypes.INTEGER },
        rrule: { type: DataTypes.TEXT },
        anchor: { type: DataTypes.STRING(16), allowNull: false },
        createdAt: { type: DataTypes.DATE },
        updatedAt: { type: DataTypes.DATE },
      },
      { sequelize, tableName: 'recurrence_patterns', modelName: 'RecurrencePattern' },
    );
  }
}
