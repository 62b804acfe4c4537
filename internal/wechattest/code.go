package wechattest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// Code fetches one unlimited code from a fresh simulator and returns its
// bytes with the URL a scanner must read from it. An empty page means the
// home page; check_path is off so any page is accepted.
func Code(t testing.TB, req wechat.UnlimitedRequest) (data []byte, want string) {
	t.Helper()
	if req.Page == "" {
		req.Page = "pages/index/index"
	}
	req.CheckPath = wechat.Bool(false)
	code, err := New(t).Client.Get(context.Background(), &req)
	if err != nil {
		t.Fatalf("wechattest.Code: %v", err)
	}
	return code.Bytes, sim.LaunchURL("release", req.Page, req.Scene)
}

// CodeFile is Code saved in a temporary folder, named by its real format.
func CodeFile(t testing.TB, req wechat.UnlimitedRequest) (path, want string) {
	t.Helper()
	data, want := Code(t, req)
	format, _ := wechat.SniffFormat(data)
	path = filepath.Join(t.TempDir(), "code"+format.Ext())
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatalf("wechattest.CodeFile: %v", err)
	}
	return path, want
}
