package cli

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newRootCmd is the whole command tree: the designer as the root, a verb
// under it for everything else, on f's streams.
func newRootCmd(f *Factory) *cobra.Command {
	root := newDesignerCmd(f)
	root.AddCommand(
		newGetCmd(f),
		newBatchCmd(f),
		newVerifyCmd(f),
		newPreviewCmd(f),
		newSceneCmd(f),
		newLinkQRCmd(f),
		newHintCmd(f),
		newTokenCmd(f),
		newSimCmd(f),
		newManCmd(),
	)
	root.SetHelpCommand(newHelpCmd())
	root.InitDefaultHelpCmd()           // now, not at Execute: catchErrors must see it
	root.SuggestionsMinimumDistance = 2 // "gte" → get
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		f.err = flagError(cmd, err)
		return nil // stops the run all the same; see catchErrors
	})
	// Scripts read the first line; the second says what built it.
	root.SetVersionTemplate("wxacode {{.Version}}\n" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n")
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	completionUsage(root) // after SetOut: cobra's scripts keep the writer it had
	catchErrors(f, root)
	return root
}

// catchErrors keeps every error of ours away from fang: a command's argument
// check and run store theirs in f.err and tell cobra all went well, and so
// does flagError. fang's error path asks the terminal for its background
// colour first, which on a terminal that does not answer (tmux, right after
// the designer hands it back) holds the exit for seconds. Run reports f.err.
func catchErrors(f *Factory, c *cobra.Command) {
	check, run := c.Args, c.RunE
	if run != nil {
		c.Args = cobra.ArbitraryArgs // checked in RunE, so a failure can be kept
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if check != nil {
				if err := check(cmd, args); err != nil {
					f.err = asUsage(cmd, err)
					return nil
				}
			}
			f.err = run(cmd, args)
			return nil
		}
	}
	for _, sub := range c.Commands() {
		catchErrors(f, sub)
	}
}

// asUsage makes an argument check's failure a usage error (exit 2): cobra's
// own checks (cobra.NoArgs, cobra.ExactArgs) return plain errors.
func asUsage(cmd *cobra.Command, err error) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: exitUsage, msg: cmd.CommandPath() + ": " + err.Error(), err: err}
}

// flagError turns a flag the command does not take, or a bad flag value, into
// a usage error (exit 2) that names the command; cobra calls it for every
// command in the tree.
func flagError(cmd *cobra.Command, err error) error {
	name := cmd.CommandPath()
	msg := fmt.Sprintf("%s: %v", name, err)
	var ne *pflag.NotExistError
	if errors.As(err, &ne) && ne.GetSpecifiedShortnames() != "" {
		// pflag quotes the whole group, which may be a flag's value.
		msg = fmt.Sprintf("%s: unknown shorthand flag: -%c", name, ne.GetSpecifiedName()[0])
	}
	if isSecretFlag(err) {
		msg += "\n" + name + ": " + secretHint
	} else if cmd.Parent() != nil && cmd.Parent().Name() == "scene" && strings.Contains(err.Error(), "unknown") {
		// A scene or raw value may itself start with -.
		msg += " (a value starting with - goes after --: " + name + " -- VALUE)"
	}
	return &exitError{code: exitUsage, msg: msg + "\nrun '" + name + " --help' for usage", err: err}
}

// noArgs is cobra.NoArgs as a usage error, worded as before.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s: unexpected argument %q; it takes only flags (see %s --help)", cmd.CommandPath(), args[0], cmd.CommandPath())
	}
	return nil
}

// unknownCommand is the root's argument check: the designer takes no
// arguments, so one is a misspelt verb.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("wxacode: unknown command %q; see wxacode help", args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\ndid you mean " + strings.Join(s, " or ") + "?"
	}
	return usageErrorf("%s", msg)
}

// completionUsage adds cobra's completion command now, to make a shell it
// does not know a usage error (exit 2) rather than its help and exit 0.
func completionUsage(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	c := subcommand(root, "completion")
	if c == nil {
		return
	}
	c.Example = `  wxacode completion bash > /etc/bash_completion.d/wxacode
  wxacode completion zsh > "${fpath[1]}/_wxacode"
  wxacode completion fish > ~/.config/fish/completions/wxacode.fish`
	c.Args = func(_ *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageErrorf("wxacode completion: unknown shell %q; use bash, zsh, fish or powershell", args[0])
		}
		return nil
	}
	c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
}

// newHelpCmd replaces cobra's help command so that an unknown topic is a
// usage error (exit 2) rather than a line and exit 0.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Help about any command: wxacode help get prints what wxacode get --help prints.",
		Example: `  wxacode help get
  wxacode help scene fit`,
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			if err != nil || len(rest) > 0 || target == nil {
				return usageErrorf("wxacode help: unknown command %q; wxacode help lists them", strings.Join(args, " "))
			}
			return target.Help()
		},
	}
}
