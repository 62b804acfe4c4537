package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// sceneSubcommands are the verbs under `wxacode scene`, as listed in errors.
const sceneSubcommands = "check, explain, encode, decode, analyze, devtools or fit"

// sceneFlags are the flags of the scene subcommands; each registers a subset.
type sceneFlags struct {
	json    bool
	page    string
	path    string
	pathSet bool
	kind    string
	mapFile string
	dryRun  bool
}

// newSceneCmd is `wxacode scene`: what a mini program receives for a scene,
// and how to make a payload fit. The text of each answer is in scene_*.go.
func newSceneCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scene",
		Short: "Check, explain, encode, decode, analyze, devtools, fit",
		Long: `What a mini program receives for a scene, and how to make a payload fit.
JavaScript's exact encodeURIComponent/decodeURIComponent (cross-checked against Node).

  wxacode scene check S               exit 0 when S is a valid scene, 2 with every problem
  wxacode scene explain S [--page P]  the launch of an unlimited code: query.scene, decoding, pairs
  wxacode scene explain --path PATH [--kind limited|qrcode]
                                      the launch of a code whose path carries a query
  wxacode scene encode S              encodeURIComponent(S), exactly as JavaScript
  wxacode scene decode S              decodeURIComponent(S); exit 2 on a URIError
  wxacode scene analyze RAW           a value pasted from logs, decoded step by step, with findings
                                      (exit 2 when a finding is an error)
  wxacode scene devtools S [--page P] the DevTools compile condition and onLoad snippets
  wxacode scene fit PAYLOAD [--map FILE] [--dry-run]
                                      ways to make PAYLOAD fit in 32 characters; with --map, the
                                      mapping row (id → payload) is appended to FILE (.csv or .jsonl)

Flags may come before or after S; put S after -- when it starts with -.
Every subcommand takes --json: JSON (snake_case field names) instead of text.`,
		Example: `  wxacode scene check 'id=42&from=poster'
  wxacode scene explain 'id=42&from=poster' --page pages/shop/item
  wxacode scene encode 'a=1&b=2'
  wxacode scene fit 'productId=1234567&channel=wechat&campaign=spring' --map ids.csv
  wxacode scene analyze 'scene=a%253D1' --json`,
		// Reached only without a known subcommand.
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return sceneUsageError("scene: give a subcommand: " + sceneSubcommands)
			case args[0] != "help":
				return sceneUsageError(fmt.Sprintf("scene: unknown subcommand %q: use %s", args[0], sceneSubcommands))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	sub := func(use, short, example string, args cobra.PositionalArgs, flags func(*cobra.Command, *sceneFlags),
		run func(o sceneOut, ios *IOStreams, s string, f sceneFlags) error) *cobra.Command {
		var sf sceneFlags
		c := &cobra.Command{Use: use, Short: short, Example: example, Args: args}
		c.Flags().BoolVar(&sf.json, "json", false, "print JSON (snake_case field names) instead of text")
		if flags != nil {
			flags(c, &sf)
		}
		c.RunE = func(c *cobra.Command, args []string) error {
			sf.pathSet = c.Flags().Changed("path")
			var s string
			if len(args) > 0 {
				s = args[0]
			}
			return run(sceneOut{w: f.IOStreams.Out, json: sf.json}, f.IOStreams, s, sf)
		}
		return c
	}
	page := func(c *cobra.Command, sf *sceneFlags) {
		c.Flags().StringVar(&sf.page, "page", "", "the page the code opens (empty: the home page)")
	}
	cmd.AddCommand(
		sub("check S", "Exit 0 when S is a valid scene, 2 with every problem", `  wxacode scene check 'id=42&from=poster'
  wxacode scene check 'a b' --json`, sceneArg("S"), nil, sceneCheck),
		sub("explain [S] [--page P | --path PATH [--kind limited|qrcode]]", "The launch a code gives: query.scene, decoding, pairs, entry scene", `  wxacode scene explain 'id=42&from=poster' --page pages/shop/item
  wxacode scene explain --path 'pages/item/item?id=42' --kind qrcode`, explainArgs, func(c *cobra.Command, sf *sceneFlags) {
			page(c, sf)
			c.Flags().StringVar(&sf.path, "path", "", "limited, qrcode: the path with its query, instead of a scene")
			c.Flags().StringVar(&sf.kind, "kind", "", "with --path: limited (default) or qrcode")
		}, sceneExplain),
		sub("encode S", "encodeURIComponent(S), exactly as JavaScript", `  wxacode scene encode 'a=1&b=2'
  wxacode scene encode -- -x=1`, sceneArg("S"), nil, sceneEncode),
		sub("decode S", "decodeURIComponent(S); exit 2 on a URIError", `  wxacode scene decode 'a%3D1%26b%3D2'`, sceneArg("S"), nil, sceneDecode),
		sub("analyze RAW", "A value from a log, decoded step by step, with findings", `  wxacode scene analyze 'scene=a%253D1'
  wxacode scene analyze 'id%253D42' --json`, sceneArg("RAW"), nil, sceneAnalyze),
		sub("devtools S [--page P]", "The DevTools compile condition and onLoad snippets", `  wxacode scene devtools 'a=1&b=2'
  wxacode scene devtools 'id=1' --page pages/a/a --json`, sceneArg("S"), page, sceneDevTools),
		sub("fit PAYLOAD [--map FILE] [--dry-run]", "Ways to make PAYLOAD fit in 32 characters", `  wxacode scene fit 'productId=1234567&channel=wechat&campaign=spring'
  wxacode scene fit 'productId=1234567&channel=wechat' --map ids.csv --dry-run`, sceneArg("PAYLOAD"), func(c *cobra.Command, sf *sceneFlags) {
			c.Flags().StringVar(&sf.mapFile, "map", "", "append the mapping row (id → payload) to FILE (.csv or .jsonl)")
			c.Flags().BoolVar(&sf.dryRun, "dry-run", false, "with --map: say what would be appended, write nothing")
		}, sceneFit),
	)
	return cmd
}

// sceneArg requires exactly one positional argument, called what in the message.
func sceneArg(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			sub := cmd.Name()
			return sceneUsageError(fmt.Sprintf("scene %s needs exactly one %s (got %d); quote it: wxacode scene %s 'a=1&b=2'", sub, what, len(args), sub))
		}
		return nil
	}
}

// explainArgs is one scene, or none with --path: the path carries the query.
func explainArgs(cmd *cobra.Command, args []string) error {
	if cmd.Flags().Changed("path") {
		if len(args) > 0 {
			return sceneUsageError("scene explain --path PATH takes no scene: the path carries the query")
		}
		return nil
	}
	return sceneArg("S")(cmd, args)
}

// sceneUsageError is a scene usage problem, with where to read more.
func sceneUsageError(msg string) error {
	return usageErrorf("wxacode %s\nrun wxacode scene --help for usage", strings.TrimPrefix(msg, "wxacode "))
}
