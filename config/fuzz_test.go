package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad: any file content gives a Config or an error, never a panic, and
// an error never quotes the secret the file holds.
func FuzzLoad(f *testing.F) {
	example, err := os.ReadFile("../config.example.toml")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(example),
		"appid = \"wx1\"\nsecret = \"S3CRET-value\"\n",
		"secret = \"S3CRET-value\"\ntimeout = \"soon\"\n",
		"sim = true\n",
		"[sim]\nenabled = true\nconfig = \"sim.toml\"\n",
		"[defaults]\nwidth = \"wide\"\ncheck_path = false\nline_color = \"#12345\"\n",
		"token_mode = \"fast\"\nsecret = \"S3CRET-value\"\n",
		"rate_per_minute = -1\ngraphics = \"x\"\nsecret = \"S3CRET-value\"\n",
		"secret = \"S3CRET-value\"\nsecret = \"again\"\n",
		"secret = \"S3CRET-value\"\n[defaults]\nwidth = 5\nbogus = 1\n",
		"[authorizer]\ncomponent_token_cmd = \"echo x\"\n",
		"appid = ",
		"\x00\xff",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		dir := t.TempDir()
		path := filepath.Join(dir, "c.toml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, warnings, err := Load(path, nil)
		if err != nil {
			// Only a secret given as the secret is protected: a bad value
			// elsewhere is quoted so the user can find it.
			const marker = "S3CRET-value"
			if strings.Count(body, marker) == 1 && strings.Contains(body, "secret = \""+marker+"\"\n") &&
				strings.Contains(err.Error(), marker) {
				t.Fatalf("error quotes the secret: %v", err)
			}
			return
		}
		_ = cfg.String()
		_ = warnings
	})
}
