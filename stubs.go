package main

// Temporary: each command replaces its stub in its own cmd_*.go file.

import (
	"context"
	"fmt"
)

func notYet(name string, io stdio) int {
	fmt.Fprintf(io.err, "wxacode %s: not available yet in this build\n", name)
	return exitUsage
}

func cmdGet(ctx context.Context, args []string, io stdio) int     { return notYet("get", io) }
func cmdHint(ctx context.Context, args []string, io stdio) int    { return notYet("hint", io) }
func cmdToken(ctx context.Context, args []string, io stdio) int   { return notYet("token", io) }
func cmdSim(ctx context.Context, args []string, io stdio) int     { return notYet("sim", io) }
func cmdScene(ctx context.Context, args []string, io stdio) int   { return notYet("scene", io) }
func cmdPreview(ctx context.Context, args []string, io stdio) int { return notYet("preview", io) }
func cmdBatch(ctx context.Context, args []string, io stdio) int   { return notYet("batch", io) }
func cmdTUI(ctx context.Context, args []string, io stdio) int {
	fmt.Fprintln(io.err, "wxacode: the interactive designer is not in this build yet; use a subcommand (wxacode help)")
	return exitUsage
}
