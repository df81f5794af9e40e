// deploycheck is the small Go helper of the deploy checks (ops/deploy/test.sh):
//
//	deploycheck compose <file>     load a Compose file with compose-go, the loader Docker Compose
//	                               itself uses: validate it against the Compose specification
//	                               schema, check its consistency (depends_on, networks, volumes)
//	                               and print the normalized project as JSON.
//	deploycheck yaml2json [file]   print every YAML document of a file (or stdin) as one JSON array,
//	                               so the node tests read Helm output and Dapr files without an
//	                               extra npm dependency.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
	"go.yaml.in/yaml/v3"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "compose":
		if len(os.Args) != 3 {
			usage()
		}
		err = compose(os.Args[2])
	case "yaml2json":
		if len(os.Args) > 3 {
			usage()
		}
		err = yamlToJSON(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "deploycheck:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: deploycheck compose <file> | deploycheck yaml2json [file]")
	os.Exit(2)
}

func compose(path string) error {
	opts, err := cli.NewProjectOptions(
		[]string{path},
		cli.WithName("todo-chatbot"),
		cli.WithOsEnv,
		cli.WithDotEnv,
	)
	if err != nil {
		return err
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return fmt.Errorf("invalid compose file: %w", err)
	}
	out, err := json.Marshal(project)
	if err != nil {
		return err
	}
	_, err = fmt.Println(string(out))
	return err
}

func yamlToJSON(args []string) error {
	var in io.Reader = os.Stdin
	if len(args) == 1 {
		data, err := os.ReadFile(args[0])
		if err != nil {
			return err
		}
		in = bytes.NewReader(data)
	}
	dec := yaml.NewDecoder(in)
	docs := []any{}
	for {
		var doc any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("invalid YAML: %w", err)
		}
		if doc != nil {
			docs = append(docs, doc)
		}
	}
	out, err := json.Marshal(docs)
	if err != nil {
		return err
	}
	_, err = fmt.Println(string(out))
	return err
}
