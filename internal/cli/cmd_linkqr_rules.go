package cli

import "github.com/spf13/cobra"

// addLinkRuleCmds adds rules, add and publish under linkqr.
func addLinkRuleCmds(f *Factory, parent *cobra.Command) {}
