package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

// parseInterspersed lets flags follow positional arguments ("get URL --timeout 1s"),
// which the flag package alone stops parsing at.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseTarget parses a client subcommand's flags and its single positional target.
func parseTarget(name string, fs *flag.FlagSet, args []string) (string, bool) {
	pos, err := parseInterspersed(fs, args)
	if err == nil && len(pos) != 1 {
		err = fmt.Errorf("want exactly one target, got %d", len(pos))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return "", false
	}
	return pos[0], true
}
