package main

import "fmt"

// notYet is the message of a subcommand whose implementation has not landed.
func notYet(name string, io stdio) int {
	fmt.Fprintf(io.err, "wxacode %s: not available yet in this build\n", name)
	return exitUsage
}
