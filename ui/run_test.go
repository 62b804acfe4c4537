package ui

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// ctrl+c, as the terminal sends it, ends Run with ErrInterrupted (exit 130).
func TestRunCtrlCIsInterrupt(t *testing.T) {
	r, w := io.Pipe()
	go func() {
		time.Sleep(200 * time.Millisecond) // let the program start reading
		w.Write([]byte{0x03})
	}()
	t.Cleanup(func() { w.Close() })
	var out bytes.Buffer
	err := RunWith(t.Context(), testDeps(t, newFake()), r, &out)
	require.ErrorIs(t, err, ErrInterrupted)
}
