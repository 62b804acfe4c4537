package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"wxacode/config"
	"wxacode/preview"
	"wxacode/ui"
	"wxacode/wechat"
)

// cmdTUI starts the designer. Flags (named as in wxacode get) only give the
// form its first values; the config gives the rest.
func cmdTUI(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("wxacode", flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() { fmt.Fprint(io.err, usage+"\nDesigner flags:\n"); fs.PrintDefaults() }
	graphics := fs.String("graphics", "", "preview `MODE`: auto, sixel, kitty, iterm, blocks or none (default from config, else auto)")
	setup, err := parseRequestFlags(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	cfg, warnings, p := setup.Config, setup.Warnings, setup.Params
	var problems []string
	if fs.NArg() > 0 {
		problems = append(problems, fmt.Sprintf("unknown command %q; see wxacode help", fs.Arg(0)))
	}
	problems = append(problems, setup.Problems...)
	mode := cfg.Graphics
	if *graphics != "" {
		mode = *graphics
	}
	if _, err := preview.ParseMode(mode); err != nil {
		problems = append(problems, "--graphics: "+err.Error())
	}
	if len(problems) > 0 {
		for _, pr := range problems {
			fmt.Fprintf(io.err, "wxacode: %s\n", pr)
		}
		return exitUsage
	}
	// The form shows request problems as the user types, so an invalid
	// starting request is not an error here: nothing is lost.

	s, err := openClient(cfg, false)
	if err != nil {
		fmt.Fprintf(io.err, "wxacode: %v\n", err)
		return exitUsage
	}
	defer s.Close()
	d := ui.Deps{
		Generator:      s.Client,
		Context:        ctx,
		OnSim:          s.OnSim,
		AutoRegenerate: s.OnSim,
		AppID:          s.AppID,
		TokenSource:    s.TokenSource,
		Tokens:         s.Client,
		BaseURL:        s.BaseURL,
		SaveDir:        cfg.SaveDir,
		NameTemplate:   cfg.NameTemplate,
		StateDir:       config.StateDir(),
		Graphics:       mode,
		Env:            os.Getenv,
		Initial:        p,
		Notices:        append(warnings, s.Warnings...),
	}
	if s.Ledger != nil {
		d.Ledger = s.Ledger
	}
	err = ui.Run(ctx, d)
	switch {
	case errors.Is(err, ui.ErrInterrupted):
		return exitInterrupted
	case errors.Is(err, ui.ErrNoTerminal):
		fmt.Fprintf(io.err, "wxacode: %v\n", err)
		return exitUsage
	case err != nil:
		fmt.Fprintf(io.err, "wxacode: %v\n", wechat.Redact(err.Error()))
		return exitUnexpected
	}
	return exitOK
}
