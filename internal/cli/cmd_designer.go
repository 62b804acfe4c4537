package cli

import (
	"context"
	"errors"
	"image/color"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"wxacode/codeimage"
	"wxacode/config"
	"wxacode/preview"
	"wxacode/ui"
	"wxacode/wechat"
)

// newDesignerCmd is the root command, `wxacode` with no verb: the designer.
// Its flags (named as in wxacode get) only give the form its first values;
// the config gives the rest.
func newDesignerCmd(f *Factory) *cobra.Command {
	var graphics, flatten, link, ec string
	cmd := &cobra.Command{
		Use:   "wxacode",
		Short: "Design, preview, debug and save WeChat Mini Program codes",
		Long: `Design, preview, debug and save WeChat Mini Program codes (小程序码) from the terminal.

With no command, wxacode opens the designer: a form on the left, the code on the right.
With no credentials it runs on the built-in simulator and says so.

Exit status: ` + exitStatusText,
		Example: `  # the designer on the built-in simulator: no credentials, no quota
  wxacode --sim --page pages/index/index --scene id=42
  # force half blocks
  wxacode --graphics blocks
  # start on a link QR (普通链接二维码), drawn locally
  wxacode --url 'https://example.com/shop?id=42' --ec H
  # one code, saved atomically
  wxacode get --scene id=42 --page pages/index/index -o code.jpg`,
		Args: unknownCommand,
	}
	setup := addRequestFlags(cmd.Flags(), f)
	cmd.Flags().StringVar(&graphics, "graphics", "", "preview MODE: auto, sixel, kitty, iterm, blocks or none (default from config, else auto)")
	cmd.Flags().StringVar(&flatten, "flatten", "", "save transparent codes drawn onto white or #rrggbb (JPEG or PNG by the name, no alpha)")
	cmd.Flags().StringVar(&link, "url", "", "start on a link QR (普通链接二维码) of URL, an http(s) link checked as wxacode linkqr checks it")
	cmd.Flags().StringVar(&ec, "ec", "", "the link QR's error-correction level, with --url: L, M (default), Q or H")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		s := setup()
		if set := cmd.Flags().Changed; set("url") || set("ec") {
			s.Problems = append(s.Problems, startOnLinkQR(&s.Params, set, link, ec)...)
		}
		return runDesigner(cmd.Context(), f, s, graphics, flatten)
	}
	return cmd
}

// linkQRFlags names a link QR's fields as the designer's flags.
var linkQRFlags = map[string]string{"url": "--url", "width": "--width", "line_color": "--line-color"}

// startOnLinkQR makes p the link QR that --url and --ec ask for, and says
// what is wrong with it: unlike the other kinds' fields, a bad link stops
// the designer before it starts (exit 2), checked by wxacode linkqr's
// validator (wechat.LinkQR.Validate).
func startOnLinkQR(p *wechat.Params, set func(string) bool, link, ec string) []string {
	if !set("url") {
		return []string{"--ec is a link QR's level: give --url URL too"}
	}
	var problems []string
	if set("kind") {
		problems = append(problems, "--url starts on a link QR and --kind on another endpoint: give one of them")
	}
	level, err := wechat.ParseECLevel(ec)
	if err != nil {
		problems = append(problems, "--ec: "+err.Error())
	}
	p.Kind, p.URL, p.EC = wechat.KindLinkQR, link, level
	var ve *wechat.ValidationError
	if err := p.Request().Validate(); errors.As(err, &ve) {
		ps := slices.Clone(ve.Problems)
		for i := range ps {
			if flag, ok := linkQRFlags[ps[i].Field]; ok {
				ps[i].Field = flag
			}
		}
		problems = append(problems, wechat.ProblemLines(ps)...)
	}
	return problems
}

func runDesigner(ctx context.Context, f *Factory, setup requestSetup, graphics, flatten string) error {
	cfg, p := setup.Config, setup.Params
	problems := setup.Problems
	var flattenOnto *color.RGBA
	if flatten != "" {
		if bg, err := codeimage.ParseBackground(flatten); err != nil {
			problems = append(problems, "--flatten: "+err.Error())
		} else {
			flattenOnto = &bg
		}
	}
	mode := cfg.Graphics
	if graphics != "" {
		mode = graphics
	}
	if _, err := preview.ParseMode(mode); err != nil {
		problems = append(problems, "--graphics: "+err.Error())
	}
	if len(problems) > 0 {
		return usageErrorf("%s", prefixLines("wxacode: ", problems))
	}
	// The form shows request problems as the user types, so an invalid
	// starting request is not an error here: nothing is lost.

	s, err := f.Session()
	if err != nil {
		return usageErrorf("wxacode: %v", err)
	}
	d := ui.Deps{
		Generator:      s.Client,
		Context:        ctx,
		OnSim:          s.OnSim,
		AutoRegenerate: s.OnSim, // free on the simulator, quota-neutral but rate-limited on WeChat
		AppID:          s.AppID,
		TokenSource:    s.TokenSource,
		Tokens:         s.Client,
		Ledger:         s.Ledger,
		BaseURL:        s.BaseURL,
		SaveDir:        cfg.SaveDir,
		NameTemplate:   cfg.NameTemplate,
		StateDir:       config.StateDir(),
		Graphics:       mode,
		Flatten:        flattenOnto,
		Env:            os.Getenv,
		Tmux:           f.tmuxRunner(),
		CellSize:       func() (int, int, bool) { return preview.WinsizeCell(os.Stdout) },
		Initial:        p,
		Notices:        append(setup.Warnings, s.Warnings...),
		Redact:         f.redact,
	}
	run := ui.Run
	if f.designer != nil {
		run = f.designer
	}
	err = run(ctx, d)
	switch {
	case errors.Is(err, ui.ErrInterrupted):
		return reported(exitInterrupted)
	case errors.Is(err, ui.ErrNoTerminal):
		return usageErrorf("wxacode: %v", err)
	case err != nil:
		return fail(exitUnexpected, "wxacode: %v", f.redact(err.Error()))
	}
	return nil
}
