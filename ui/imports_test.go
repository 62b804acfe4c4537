package ui

import (
	"go/build"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ui draws batch's progress bar but must not depend on batch: the command
// line converts (BatchStatus), so batch stays free to change its types.
func TestUIDoesNotImportBatch(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	require.NoError(t, err)
	assert.NotContains(t, pkg.Imports, "wxacode/batch")
}
