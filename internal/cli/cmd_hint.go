package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"wxacode/troubleshoot"
)

// newHintCmd is `wxacode hint CODE`: the troubleshooting text for an errcode.
func newHintCmd(f *Factory) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "hint CODE",
		Short: "Troubleshooting for an errcode",
		Long: "Prints the troubleshooting text for an errcode WeChat sent: title, causes, fixes.\n\n" +
			"Known codes: " + knownCodes(),
		Example: `  wxacode hint 41030
  wxacode hint 40164
  wxacode hint 41030 --json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("wxacode hint: give one errcode, e.g. wxacode hint 41030\nknown codes: %s", knownCodes())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			code, err := strconv.Atoi(strings.TrimSpace(args[0]))
			if err != nil {
				return usageErrorf("wxacode hint: %q is not an errcode; give the number WeChat sent, e.g. wxacode hint 41030\nknown codes: %s", args[0], knownCodes())
			}
			h, ok := troubleshoot.HintFor(code)
			if !ok {
				return usageErrorf("wxacode hint: no hint for errcode %d\nknown codes: %s", code, knownCodes())
			}
			if asJSON {
				return f.printJSON(cmd.OutOrStdout(), newHintJSON(h))
			}
			fmt.Fprint(cmd.OutOrStdout(), h.String())
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print JSON: {"errcode","title","causes","fixes"}`)
	return cmd
}

// knownCodes lists every errcode with a hint.
func knownCodes() string {
	hs := troubleshoot.Hints()
	codes := make([]string, len(hs))
	for i, h := range hs {
		codes[i] = strconv.Itoa(h.Code)
	}
	return strings.Join(codes, ", ")
}
