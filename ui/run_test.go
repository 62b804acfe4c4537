package ui

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// ctrl+c, as the terminal sends it, ends Run with ErrInterrupted (exit 130).
func TestRunCtrlCIsInterrupt(t *testing.T) {
	r, w := io.Pipe()
	// io.Pipe is synchronous: the write returns once the program has read it.
	go w.Write([]byte{0x03})
	t.Cleanup(func() { w.Close() })
	var out bytes.Buffer
	err := RunWith(t.Context(), testDeps(t, newFake()), r, &out)
	require.ErrorIs(t, err, ErrInterrupted)
}
