package config

import (
	"fmt"
	"sort"
	"strings"
)

// Sim is the simulator setting. TOML cannot hold both a top-level `sim`
// boolean and a [sim] table, so both spellings decode into this one value:
//
//	sim = true
//
// or
//
//	[sim]
//	enabled = true
//	config = "sim.toml"
type Sim struct {
	// Enabled always runs the built-in simulator, even with credentials.
	Enabled bool
	// Config is a sim.toml (released pages, whitelist, limits, faults); a
	// relative path is taken from the configuration file's folder.
	Config string
}

// UnmarshalTOML accepts a boolean or a table with enabled and config. The
// decoder counts everything under a custom type as used, so unknown keys are
// rejected here.
func (s *Sim) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case bool:
		s.Enabled = v
		return nil
	case map[string]any:
		var unknown []string
		for k, val := range v {
			switch k {
			case "enabled":
				b, ok := val.(bool)
				if !ok {
					return fmt.Errorf("sim.enabled: write true or false, not %v", val)
				}
				s.Enabled = b
			case "config":
				p, ok := val.(string)
				if !ok {
					return fmt.Errorf("sim.config: write a quoted path to a sim.toml, not %v", val)
				}
				s.Config = p
			default:
				unknown = append(unknown, "sim."+k)
			}
		}
		if len(unknown) > 0 {
			sort.Strings(unknown)
			return fmt.Errorf("unknown key(s) %s: [sim] takes enabled and config", strings.Join(unknown, ", "))
		}
		return nil
	}
	return fmt.Errorf("sim: write sim = true, or a [sim] table with enabled and config")
}
