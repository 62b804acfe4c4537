// Package cli is wxacode's command line.
package cli

import (
	"context"
	"fmt"
	"io"
)

// Exit codes are a contract with scripts: keep them.
const (
	exitOK          = 0
	exitUnexpected  = 1
	exitUsage       = 2 // bad flags, invalid request: nothing was called
	exitAPI         = 3 // WeChat (or the simulator) answered with an errcode
	exitInterrupted = 130
)

// stdio carries the process's streams so commands can be run in tests.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// run dispatches to a subcommand; with none it starts the TUI.
func run(ctx context.Context, args []string, io stdio) int {
	if len(args) > 0 {
		switch args[0] {
		case "get":
			return cmdGet(ctx, args[1:], io)
		case "hint":
			return cmdHint(ctx, args[1:], io)
		case "token":
			return cmdToken(ctx, args[1:], io)
		case "sim":
			return cmdSim(ctx, args[1:], io)
		case "scene":
			return cmdScene(ctx, args[1:], io)
		case "preview":
			return cmdPreview(ctx, args[1:], io)
		case "batch":
			return cmdBatch(ctx, args[1:], io)
		case "help", "-h", "--help":
			fmt.Fprint(io.out, usage)
			return exitOK
		}
	}
	return cmdTUI(ctx, args, io)
}

const usage = `wxacode: design, preview, debug and save WeChat Mini Program codes

Usage:
  wxacode [flags]              the interactive designer (TUI)
  wxacode get [flags] -o FILE  generate one code and save it
  wxacode hint CODE            troubleshooting for an errcode
  wxacode token [--show]       check the credentials
  wxacode sim [flags]          run the WeChat simulator on loopback
  wxacode scene CMD S          check, explain, encode, decode, devtools, fit
  wxacode preview FILE...      show saved codes in the terminal
  wxacode batch --in F --out D pre-generate many codes, resumable

Exit codes: 0 ok, 1 unexpected, 2 usage or validation, 3 API error, 130 interrupted.
`

// Run runs wxacode with args (without the program name) on the given streams
// and returns the process's exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(ctx, args, stdio{stdin, stdout, stderr})
}
