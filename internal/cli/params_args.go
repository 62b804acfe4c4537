package cli

import (
	"strconv"

	"wxacode/wechat"
)

// paramsArgs is the inverse of addParamFlags: the request flags that rebuild
// p from an empty base, for printing a ready-to-run command (a diagnosis's
// fix, for example). Fields that do not apply to p.Kind are left out.
func paramsArgs(p wechat.Params) []string {
	args := []string{"--kind", string(orUnlimited(p.Kind))}
	add := func(flag, v string) {
		if v != "" {
			args = append(args, flag, v)
		}
	}
	switch p.Kind {
	case wechat.KindTrial:
		add("--path", p.Path)
		return args // get_qrcode takes nothing else
	case wechat.KindLimited, wechat.KindQRCode:
		add("--path", p.Path)
	default:
		add("--page", p.Page)
		add("--scene", p.Scene)
		if p.CheckPath != nil {
			args = append(args, "--check-path="+strconv.FormatBool(*p.CheckPath))
		}
	}
	if p.Width != 0 {
		add("--width", strconv.Itoa(p.Width))
	}
	if p.Kind != wechat.KindQRCode {
		add("--env-version", p.EnvVersion)
		if p.AutoColor {
			args = append(args, "--auto-color")
		}
		if p.LineColor != nil {
			add("--line-color", p.LineColor.Hex())
		}
		if p.Hyaline {
			args = append(args, "--hyaline")
		}
	}
	return args
}
