//go:build !unix

package wechat

import "os/exec"

// killGroup: without process groups the default kill of the shell applies.
func killGroup(*exec.Cmd) {}
