package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"wxacode/shell"
	"wxacode/troubleshoot"
	"wxacode/wechat"
)

// addLinkRuleCmds adds rules, add and publish under linkqr: the mini
// program's link rules, through qrcodejumpget, qrcodejumpadd and
// qrcodejumppublish, with the session's token (or a platform's authorizer
// token, from [authorizer]).
func addLinkRuleCmds(f *Factory, parent *cobra.Command) {
	rules := &cobra.Command{
		Use:     "rules",
		Short:   "List the link rules (qrcodejumpget)",
		Example: `  wxacode linkqr rules`,
		Args:    noArgs,
	}
	f.conn.register(rules.Flags())
	rules.RunE = func(cmd *cobra.Command, _ []string) error {
		c, err := linkRuleClient(f)
		if err != nil {
			return err
		}
		list, err := c.LinkRules(cmd.Context())
		if err != nil {
			return linkRuleError(cmd.Context(), "rules", err)
		}
		w := f.IOStreams.Out
		open := "on"
		if list.Open != 1 {
			open = "off (switch it on in the admin console: 开发管理 → 开发设置 → 扫普通链接二维码打开小程序)"
		}
		fmt.Fprintf(w, "link QRs: %s; %d rule(s); %d publish(es) left this month\n", open, len(list.Rules), list.PubQuota)
		for _, r := range list.Rules {
			state := "draft"
			if r.Published() {
				state = "published"
			}
			fmt.Fprintf(w, "\n%s  [%s]\n  page: %s\n  permit_sub_rule: %d  open_version: %s\n", r.Prefix, state, r.Path, int(r.PermitSubRule), r.OpenVersion)
			for _, u := range r.DebugURL {
				fmt.Fprintf(w, "  test link: %s\n", u)
			}
		}
		return nil
	}

	var path, permit, openV string
	var debug []string
	var edit bool
	add := &cobra.Command{
		Use:   "add PREFIX --path PAGE [--permit-sub-rule 1|2] [--open-version develop|trial|release] [--debug-url URL]... [--edit]",
		Short: "Add or change a link rule (qrcodejumpadd); it is a draft until published",
		Example: `  wxacode linkqr add https://example.com/shop/ --path pages/shop/shop --debug-url https://example.com/shop/1
  wxacode linkqr add https://example.com/shop/ --path pages/shop/shop --open-version release --edit`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return linkqrUsageError(fmt.Sprintf("linkqr add needs exactly one PREFIX (got %d)", len(args)))
			}
			return nil
		},
	}
	f.conn.register(add.Flags())
	add.Flags().StringVar(&path, "path", "", "the page the rule opens, e.g. pages/index/index")
	add.Flags().StringVar(&permit, "permit-sub-rule", "1", "1: others may add rules under this one; 2: occupy every sub-rule")
	add.Flags().StringVar(&openV, "open-version", "develop", "who a draft opens the mini program for: develop (1), trial (2) or release (3)")
	add.Flags().StringArrayVar(&debug, "debug-url", nil, "a test link the rule matches (up to 5; repeat the flag)")
	add.Flags().BoolVar(&edit, "edit", false, "change an existing rule (is_edit 1)")
	add.RunE = func(cmd *cobra.Command, args []string) error {
		req := wechat.AddLinkRuleRequest{LinkRule: wechat.LinkRule{Prefix: args[0], Path: path, DebugURL: debug}, IsEdit: edit}
		var problems []string
		switch permit {
		case "1":
			req.PermitSubRule = wechat.SubRulesFree
		case "2":
			req.PermitSubRule = wechat.SubRulesOccupied
		default:
			problems = append(problems, fmt.Sprintf("--permit-sub-rule %q: give 1 (free) or 2 (occupy)", permit))
		}
		v, err := wechat.ParseOpenVersion(openV)
		if err != nil {
			problems = append(problems, "--open-version: "+err.Error())
		}
		req.OpenVersion = v
		var ve *wechat.ValidationError
		if err := req.Validate(); errors.As(err, &ve) {
			for _, p := range ve.Problems {
				if p.Field == "open_version" && v == 0 || p.Field == "permit_sub_rule" && req.PermitSubRule == 0 {
					continue // said above, in the flag's words
				}
				line := p.String()
				if p.Code != 0 {
					line += fmt.Sprintf(" [errcode %d]", p.Code)
				}
				problems = append(problems, line)
			}
		}
		if len(problems) > 0 {
			return usageErrorf("wxacode linkqr add: nothing was called; fix these first:\n%s", prefixLines("  - ", problems))
		}
		c, err := linkRuleClient(f)
		if err != nil {
			return err
		}
		if err := c.AddLinkRule(cmd.Context(), req); err != nil {
			return linkRuleError(cmd.Context(), "add", err)
		}
		verb := "added"
		if edit {
			verb = "changed"
		}
		fmt.Fprintf(f.IOStreams.Out, "%s: %s, a draft (it opens the mini program for %s testers and its test links); publish it with: wxacode linkqr publish %s\n",
			req.Prefix, verb, req.OpenVersion, shell.Quote(req.Prefix))
		return nil
	}

	publish := &cobra.Command{
		Use:     "publish PREFIX",
		Short:   "Publish a link rule (qrcodejumppublish): every user's scan then opens the mini program",
		Example: `  wxacode linkqr publish https://example.com/shop/`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return linkqrUsageError(fmt.Sprintf("linkqr publish needs exactly one PREFIX (got %d)", len(args)))
			}
			return nil
		},
	}
	f.conn.register(publish.Flags())
	publish.RunE = func(cmd *cobra.Command, args []string) error {
		c, err := linkRuleClient(f)
		if err != nil {
			return err
		}
		if err := c.PublishLinkRule(cmd.Context(), args[0]); err != nil {
			return linkRuleError(cmd.Context(), "publish", err)
		}
		fmt.Fprintf(f.IOStreams.Out, "%s: published\n", args[0])
		return nil
	}
	parent.AddCommand(rules, add, publish)
}

// linkRuleClient is the session's client, the simulator's notice printed.
func linkRuleClient(f *Factory) (*wechat.Client, error) {
	s, err := f.Session()
	if err != nil {
		return nil, usageErrorf("wxacode linkqr: %v", err)
	}
	if s.OnSim {
		fmt.Fprintln(f.IOStreams.ErrOut, s.Notice)
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(f.IOStreams.ErrOut, "warning:", w)
	}
	return s.Client, nil
}

// linkRuleError reports a failed rule call: an errcode with its hint (exit 3).
func linkRuleError(ctx context.Context, verb string, err error) error {
	var api *wechat.APIError
	var ve *wechat.ValidationError
	switch {
	case ctx.Err() != nil:
		return fail(exitInterrupted, "wxacode linkqr %s: interrupted", verb)
	case errors.As(err, &ve):
		return usageErrorf("wxacode linkqr %s: %v", verb, err)
	case errors.As(err, &api):
		var b strings.Builder
		fmt.Fprintf(&b, "wxacode linkqr %s: WeChat answered errcode %d: %s\n", verb, api.Code, api.Msg)
		if api.RID != "" {
			fmt.Fprintf(&b, "rid: %s", api.RID)
			if !api.Time.IsZero() {
				fmt.Fprintf(&b, " (request at %s)", api.Time.Local().Format(time.DateTime+" MST"))
			}
			b.WriteString("\n")
		}
		if h, ok := troubleshoot.HintFor(api.Code); ok {
			b.WriteString(h.String())
		}
		fmt.Fprintf(&b, "more: wxacode hint %d", api.Code)
		return fail(exitAPI, "%s", b.String())
	}
	return fail(exitUnexpected, "wxacode linkqr %s: %v", verb, err)
}
