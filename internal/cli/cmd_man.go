package cli

import (
	"fmt"

	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
)

// newManCmd is `wxacode man`: the man page, built from the command tree, in
// roff on stdout.
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "man",
		Short: "Print the man page (roff) on stdout",
		Long:  "Prints wxacode's man page, built from the same commands and flags as the help, in roff on stdout.",
		Example: `  wxacode man > wxacode.1
  wxacode man | man -l -`,
		Args:                  noArgs,
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := mcobra.NewManPage(1, cmd.Root())
			if err != nil {
				return fmt.Errorf("man page: %w", err)
			}
			_, err = fmt.Fprint(cmd.OutOrStdout(), page.Build(roff.NewDocument()))
			return err
		},
	}
}

// exitStatusText is the README's exit code table, for the root's help and so
// for the man page.
const exitStatusText = `0 ok; 1 unexpected (network failure, truncated or non-image answer, a file that cannot be written); 2 usage or validation (bad flags, bad config, invalid request: nothing was called); 3 API error (WeChat or the simulator answered with an errcode); 130 interrupted (ctrl+c, SIGTERM).`
