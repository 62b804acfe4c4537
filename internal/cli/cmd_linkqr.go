package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"wxacode/atomicfile"
	"wxacode/codefile"
	"wxacode/linkqr"
	"wxacode/wechat"
)

// linkqrSubcommands are the verbs under `wxacode linkqr`, as listed in errors.
const linkqrSubcommands = "explain, rules, add or publish"

// newLinkQRCmd is `wxacode linkqr`: a plain QR code of a URL the mini
// program claimed (普通链接二维码), made locally, and its rules.
func newLinkQRCmd(f *Factory) *cobra.Command {
	var out, width, line, bg, ec, margin string
	cmd := &cobra.Command{
		Use:   "linkqr URL -o FILE",
		Short: "A plain QR code of a URL that opens the mini program (普通链接二维码), and its rules",
		Long: `Draws a plain QR code of exactly URL, locally: no WeChat call, no quota. Scanned in
WeChat, a URL that matches one of the mini program's published link rules
(开发管理 → 开发设置 → 扫普通链接二维码打开小程序, or wxacode linkqr add) opens the
rule's page with query.q = encodeURIComponent(URL) and query.scancode_time.

URL must be an http or https link of printable ASCII (percent-encode the rest)
that fits in a QR code at the chosen level: L 2953, M 2331, Q 1663, H 1273 bytes.
FILE is PNG or JPEG by its extension. Problems are listed and nothing is
written (exit 2).

  wxacode linkqr explain URL [--rule PREFIX]   what the page receives, and the rule's match
  wxacode linkqr rules                         the rules (qrcodejumpget)
  wxacode linkqr add PREFIX --path P           add or edit a rule (qrcodejumpadd)
  wxacode linkqr publish PREFIX                publish a rule (qrcodejumppublish)`,
		Example: `  wxacode linkqr 'https://example.com/shop?id=42' -o shop.png
  wxacode linkqr 'https://example.com/t/1' -o t1.jpg --width 600 --ec H --margin 2
  wxacode linkqr 'https://example.com/t/1' -o t1.png --line-color '#1a3d7c' --background '#fffbe6'
  wxacode linkqr explain 'https://example.com/shop?id=42' --rule https://example.com/shop?`,
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return linkqrUsageError("linkqr: give the URL to draw, or a subcommand: " + linkqrSubcommands)
			case len(args) > 1:
				return linkqrUsageError(fmt.Sprintf("linkqr: one URL only (got %d); quote it: wxacode linkqr 'https://example.com/?a=1&b=2' -o code.png", len(args)))
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&out, "output", "o", "", "output FILE: .png or .jpg/.jpeg")
	// Strings, so every bad value is reported together with the URL's problems.
	fs.StringVar(&width, "width", "", fmt.Sprintf("image width and height in pixels, %d-%d (default %d)", wechat.LinkQRMinWidth, wechat.LinkQRMaxWidth, wechat.LinkQRDefaultWidth))
	fs.StringVar(&line, "line-color", "", "colour of the modules, '#rrggbb' or r,g,b (default black)")
	fs.StringVar(&bg, "background", "", "background colour, '#rrggbb' or r,g,b (default white)")
	fs.StringVar(&ec, "ec", "M", "error-correction level: L (7%), M (15%), Q (25%) or H (30%)")
	fs.StringVar(&margin, "margin", "", fmt.Sprintf("quiet zone in modules, 0-%d (default %d, what the QR standard asks for)", wechat.LinkQRMaxMargin, wechat.LinkQRDefaultMargin))
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var problems []string
		req := wechat.LinkQR{URL: args[0]}
		set := cmd.Flags().Changed
		if set("width") {
			if n, err := atoiFlag("--width", width); err != nil {
				problems = append(problems, err.Error())
			} else {
				req.Width = n
				if n == 0 {
					problems = append(problems, fmt.Sprintf("--width 0: give %d to %d pixels", wechat.LinkQRMinWidth, wechat.LinkQRMaxWidth))
				}
			}
		}
		if set("margin") {
			if n, err := atoiFlag("--margin", margin); err != nil {
				problems = append(problems, err.Error())
			} else {
				req.Margin = &n
			}
		}
		level, err := wechat.ParseECLevel(ec)
		if err != nil {
			problems = append(problems, "--ec: "+err.Error())
		}
		req.EC = level
		for _, c := range []struct {
			flag string
			v    string
			dst  **wechat.Color
		}{{"--line-color", line, &req.Line}, {"--background", bg, &req.Background}} {
			col, err := parseLineColor(c.v)
			if err != nil {
				problems = append(problems, c.flag+": "+strings.TrimPrefix(err.Error(), "line colour "))
			}
			*c.dst = col
		}
		format, ok := codefile.FormatForName(out)
		switch {
		case out == "":
			problems = append(problems, "-o FILE is required, for example: wxacode linkqr https://example.com/ -o code.png")
		case !ok:
			problems = append(problems, fmt.Sprintf("-o %s: name it .png or .jpg (the format follows the extension)", out))
		default:
			if problem := checkOutput(out); problem != "" {
				problems = append(problems, problem)
			}
		}
		var ve *wechat.ValidationError
		if err := req.Validate(); errors.As(err, &ve) {
			problems = append(problems, wechat.ProblemLines(ve.Problems)...)
		}
		if len(problems) > 0 {
			return usageErrorf("wxacode linkqr: nothing was written; fix these first:\n%s", prefixLines("  - ", problems))
		}
		img, err := linkqr.Encode(req, format)
		if errors.As(err, &ve) {
			return usageErrorf("wxacode linkqr: nothing was written; fix these first:\n%s", prefixLines("  - ", wechat.ProblemLines(ve.Problems)))
		} else if err != nil {
			return fail(exitUnexpected, "wxacode linkqr: %v", err)
		}
		if err := atomicfile.WriteFile(out, img.Bytes, 0o644); err != nil {
			return fail(exitUnexpected, "wxacode linkqr: could not save: %v", err)
		}
		if req.QuietZone() < wechat.LinkQRDefaultMargin {
			fmt.Fprintf(f.IOStreams.ErrOut, "warning: a quiet zone of %d modules (under %d) may not scan where the code is printed on anything but plain background\n",
				req.QuietZone(), wechat.LinkQRDefaultMargin)
		}
		fmt.Fprintf(f.IOStreams.Out, "%s: %s %dx%d, %d bytes, QR version %d-%s, %d modules at %d px\n",
			out, img.Format, img.Width, img.Width, len(img.Bytes), img.Version, img.EC, img.Modules, img.Scale)
		return nil
	}
	var jsonOut bool
	var rule string
	explain := &cobra.Command{
		Use:   "explain URL [--rule PREFIX]",
		Short: "What the page receives from a link QR: query.q, decoding, parameters, entry scene; and the rule's match",
		Example: `  wxacode linkqr explain 'https://example.com/shop?id=42&from=poster'
  wxacode linkqr explain 'https://example.com/a/b/123' --rule https://example.com/a/b --json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return linkqrUsageError(fmt.Sprintf("linkqr explain needs exactly one URL (got %d); quote it", len(args)))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return linkqrExplain(sceneOut{w: f.IOStreams.Out, json: jsonOut}, args[0], rule, time.Now())
		},
	}
	explain.Flags().BoolVar(&jsonOut, "json", false, "print JSON (snake_case field names) instead of text")
	explain.Flags().StringVar(&rule, "rule", "", "a rule prefix to match URL against, e.g. https://example.com/shop?")
	cmd.AddCommand(explain)
	addLinkRuleCmds(f, cmd)
	return cmd
}

// atoiFlag reads a whole number flag value.
func atoiFlag(flag, v string) (int, error) {
	var n int
	if _, err := fmt.Sscan(strings.TrimSpace(v), &n); err != nil || strings.TrimSpace(v) != fmt.Sprint(n) {
		return 0, fmt.Errorf("%s %q: give a whole number", flag, v)
	}
	return n, nil
}

// linkqrUsageError is a linkqr usage problem, with where to read more.
func linkqrUsageError(msg string) error {
	return usageErrorf("wxacode %s\nrun wxacode linkqr --help for usage", strings.TrimPrefix(msg, "wxacode "))
}
