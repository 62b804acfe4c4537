package config

import "fmt"

// redacted stands in for a secret value in printed configurations.
const redacted = "REDACTED"

// String describes c with every secret replaced, so a stray %v in a log or
// error cannot print the secret or a token.
func (c Config) String() string {
	hide := func(s string) string {
		if s == "" {
			return ""
		}
		return redacted
	}
	c.Secret, c.AccessToken = hide(c.Secret), hide(c.AccessToken)
	c.Authorizer.ComponentAccessToken = hide(c.Authorizer.ComponentAccessToken)
	c.Authorizer.AuthorizerRefreshToken = hide(c.Authorizer.AuthorizerRefreshToken)
	type plain Config // no String method: avoids recursion
	return fmt.Sprintf("%+v", plain(c))
}

// GoString keeps %#v from printing secrets too.
func (c Config) GoString() string { return "config.Config" + c.String() }
