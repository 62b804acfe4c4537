//go:build !linux

package e2e

import "testing"

// The pty harness (latency_test.go) opens its pseudo-terminal the Linux way.
func TestPTYHarness(t *testing.T) {
	t.Skip("the pty latency harness runs on Linux only")
}
