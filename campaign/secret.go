package campaign

import (
	"fmt"
	"log/slog"
)

// Secret is a credential (a corp secret, a callback token, an AES key, a
// webhook key). It prints as "***" through fmt, encoding/json, YAML and slog,
// so a config dumped by mistake leaks nothing. Reveal returns the value.
type Secret string

const redacted = "***"

// Reveal returns the secret value. Call it only where the value is used.
func (s Secret) Reveal() string { return string(s) }

// String returns "***", or "" when the secret is empty.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString keeps %#v redacted too.
func (s Secret) GoString() string { return fmt.Sprintf("%q", s.String()) }

// Format redacts the secret for every fmt verb (%v, %s, %q, %x, %d…).
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s.String())
		return
	}
	fmt.Fprint(f, s.String())
}

// MarshalJSON writes "***" (or "" when empty).
func (s Secret) MarshalJSON() ([]byte, error) { return fmt.Appendf(nil, "%q", s.String()), nil }

// MarshalYAML writes "***" (or "" when empty).
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// LogValue keeps the secret out of slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
