package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	var prefixes []string
	var page, pageSize int
	var all bool
	var bodyAppID string
	rules := &cobra.Command{
		Use:   "rules [--prefix PREFIX]... | [--page N | --all] [--page-size M]",
		Short: "List the link rules (qrcodejumpget)",
		Long: `Lists the mini program's link rules (qrcodejumpget). With no flags it sends {}, which
lists the latest 10,000: all a plain link QR's rules need. --prefix (get_type 1) lists
the rules of those prefixes, --page (get_type 2) one page of them in the order added,
and --all every page until total_count. WeChat documents these for the rules of
扫服务号二维码打开小程序 (a service account's QR opening the mini program), as it
documents the request's appid field (--body-appid).`,
		Example: `  wxacode linkqr rules
  wxacode linkqr rules --prefix https://example.com/shop/ --prefix https://example.com/t/
  wxacode linkqr rules --page 2 --page-size 50
  wxacode linkqr rules --all`,
		Args: noArgs,
	}
	fs := rules.Flags()
	f.conn.register(fs)
	fs.StringArrayVar(&prefixes, "prefix", nil, fmt.Sprintf("list the rule of this exact PREFIX (get_type 1; repeat, up to %d)", wechat.MaxRulesPrefixes))
	fs.IntVar(&page, "page", 0, "list page N, from 1, of the rules in the order added (get_type 2)")
	fs.IntVar(&pageSize, "page-size", wechat.MaxRulesPageSize, fmt.Sprintf("rules a page for --page and --all, 1-%d", wechat.MaxRulesPageSize))
	fs.BoolVar(&all, "all", false, fmt.Sprintf("list every rule, page after page until total_count (at most %d rules)", wechat.MaxRulesLatest))
	fs.StringVar(&bodyAppID, "body-appid", "", "the request's appid field, for 扫服务号二维码打开小程序 rules (--appid picks the session's mini program)")
	rules.RunE = func(cmd *cobra.Command, _ []string) error {
		req, problems := rulesRequest(cmd.Flags().Changed, prefixes, page, pageSize, all, bodyAppID)
		if len(problems) > 0 {
			return usageErrorf("wxacode linkqr rules: nothing was called; fix these first:\n%s", prefixLines("  - ", problems))
		}
		c, err := linkRuleClient(f)
		if err != nil {
			return err
		}
		var list *wechat.LinkRules
		pages := 0
		if all {
			list, pages, err = allLinkRules(cmd.Context(), c, req)
		} else {
			list, err = c.LinkRules(cmd.Context(), req)
		}
		if err != nil {
			return linkRuleError(cmd.Context(), "rules", err)
		}
		printLinkRules(f.IOStreams.Out, req, list, pages)
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

// rulesFlags names qrcodejumpget's fields as linkqr rules' flags.
var rulesFlags = map[string]string{"prefix_list": "--prefix", "page_num": "--page", "page_size": "--page-size", "appid": "--body-appid"}

// rulesRequest is the qrcodejumpget that linkqr rules' flags ask for, and
// what is wrong with them, in the flags' words: the combinations here, the
// values by the request's own Validate.
func rulesRequest(set func(string) bool, prefixes []string, page, size int, all bool, appid string) (wechat.LinkRulesRequest, []string) {
	req := wechat.LinkRulesRequest{AppID: appid}
	var problems []string
	paged := set("page") || all
	switch {
	case len(prefixes) > 0 && paged:
		problems = append(problems, "--prefix lists rules by prefix (get_type 1), --page and --all by page (get_type 2): give one or the other")
	case set("page") && all:
		problems = append(problems, "--all walks every page from the first: leave out --page")
	case set("page-size") && !paged:
		problems = append(problems, "--page-size is the rules a page of --page or --all: give one of them too, or leave it out")
	}
	switch {
	case len(prefixes) > 0:
		req.GetType, req.PrefixList = wechat.RulesByPrefix, prefixes
	case paged:
		req.GetType, req.PageNum, req.PageSize = wechat.RulesByPage, page, size
		if all {
			req.PageNum = 1
		}
	}
	var ve *wechat.ValidationError
	if err := req.Validate(); errors.As(err, &ve) {
		for _, p := range ve.Problems {
			if flag, ok := rulesFlags[p.Field]; ok {
				p.Field = flag
			}
			problems = append(problems, p.String())
		}
	}
	return req, problems
}

// allLinkRules lists every rule, get_type 2's pages from the first, until
// total_count rules have come or a page comes short. It is bounded whatever
// the answers say: a page counts for page_size rules at most, and the walk
// stops at the MaxRulesLatest rules that get_type 0 would list. It also
// says how many pages it asked for.
func allLinkRules(ctx context.Context, c *wechat.Client, req wechat.LinkRulesRequest) (*wechat.LinkRules, int, error) {
	var all wechat.LinkRules
	for req.PageNum = 1; ; req.PageNum++ {
		list, err := c.LinkRules(ctx, req)
		if err != nil {
			return nil, 0, err
		}
		all.Open, all.PubQuota, all.Total = list.Open, list.PubQuota, list.Total
		got := list.Rules[:min(len(list.Rules), req.PageSize)]
		all.Rules = append(all.Rules, got...)
		if len(got) < req.PageSize || len(all.Rules) >= list.Total || len(all.Rules) >= wechat.MaxRulesLatest {
			all.Rules = all.Rules[:min(len(all.Rules), wechat.MaxRulesLatest)]
			all.ListSize = len(all.Rules)
			return &all, req.PageNum, nil
		}
	}
}

// printLinkRules writes the rules listed: a line of what was asked and
// got, then each rule; pages > 0 for --all.
func printLinkRules(w io.Writer, req wechat.LinkRulesRequest, list *wechat.LinkRules, pages int) {
	open := "on"
	if list.Open != 1 {
		open = "off (switch it on in the admin console: 开发管理 → 开发设置 → 扫普通链接二维码打开小程序)"
	}
	n := len(list.Rules)
	var what string
	switch {
	case pages > 0:
		what = fmt.Sprintf("%d rule(s) from %d page(s) of %d", n, pages, req.PageSize)
		if n < list.Total {
			what += fmt.Sprintf("; total_count says %d", list.Total)
		}
	case req.GetType == wechat.RulesByPage:
		last := max(1, (list.Total+req.PageSize-1)/req.PageSize)
		if n == 0 {
			what = fmt.Sprintf("page %d is past the last (%d): %d rule(s) in all, %d a page", req.PageNum, last, list.Total, req.PageSize)
		} else {
			first := (req.PageNum-1)*req.PageSize + 1
			what = fmt.Sprintf("rules %d–%d of %d (page %d of %d, %d a page)", first, first+n-1, list.Total, req.PageNum, last, req.PageSize)
		}
	case req.GetType == wechat.RulesByPrefix:
		what = fmt.Sprintf("%d rule(s) for the %d prefix(es) asked, of %d in all", n, len(req.PrefixList), list.Total)
	default:
		what = fmt.Sprintf("%d rule(s)", n)
		if list.Total > n {
			what += fmt.Sprintf(" (the latest %d of %d: --all lists every one)", n, list.Total)
		}
	}
	fmt.Fprintf(w, "link QRs: %s; %s; %d publish(es) left this month\n", open, what, list.PubQuota)
	found := map[string]bool{}
	for _, r := range list.Rules {
		found[r.Prefix] = true
		state := "draft"
		if r.Published() {
			state = "published"
		}
		fmt.Fprintf(w, "\n%s  [%s]\n  page: %s\n  permit_sub_rule: %d  open_version: %s\n", r.Prefix, state, r.Path, int(r.PermitSubRule), r.OpenVersion)
		for _, u := range r.DebugURL {
			fmt.Fprintf(w, "  test link: %s\n", u)
		}
	}
	for _, p := range req.PrefixList {
		if !found[p] {
			fmt.Fprintf(w, "\nno rule: %s\n", wechat.SafeText(p))
		}
	}
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
