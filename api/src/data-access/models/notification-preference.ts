import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export class NotificationPreferenceModel extends Model<
  InferAttributes<NotificationPreferenceModel>,
  InferCreationAttributes<NotificationPreferenceModel>
> {
  declare userId: string;
  declare emailEnabled: boolean;
  declare pushEnabled: boolean;
  declare quietHoursStart: string | null;
  declare quietHoursEnd: string | null;
  declare timezone: string;
  declare timezoneChosen: boolean;
  declare defaultReminderOffset: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initialize(sequelize: Sequelize): void {
    NotificationPreferenceModel.init(
      {
        userId: { type: DataTypes.TEXT, primaryKey: true },
        emailEnabled: { type: DataTypes.BOOLEAN, allowNull: false },
        pushEnabled: { type: DataTypes.BOOLEAN, allowNull: false },
        quietHoursStart: { type: DataTypes.STRING(5) },
        quietHoursEnd: { type: DataTypes.STRING(5) },
        timezone: { type: DataTypes.STRING(64), allowNull: false },
        timezoneChosen: { type: DataTypes.BOOLEAN, allowNull: false },
        defaultReminderOffset: { type: DataTypes.INTEGER },
        createdAt: { type: DataTypes.DATE },
        updatedAt: { type: DataTypes.DATE },
      },
      { sequelize, tableName: 'notification_preferences', modelName: 'NotificationPreference' },
    );
  }
}
