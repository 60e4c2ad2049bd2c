package logs

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestFor(t *testing.T) {
	tests := []struct {
		name string
		in   func(*bytes.Buffer) *slog.Logger
		want string // substring of the output; "" = nothing written
	}{
		{"tags the given logger", func(b *bytes.Buffer) *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }, "component=outbox"},
		{"keeps the logger's own attributes", func(b *bytes.Buffer) *slog.Logger {
			return slog.New(slog.NewTextHandler(b, nil)).With("street", "x")
		}, "street=x component=outbox"},
		{"nil discards", func(*bytes.Buffer) *slog.Logger { return nil }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			l := For(tt.in(&b), "outbox")
			if l == nil {
				t.Fatal("For returned nil")
			}
			l.Info("delivered", "id", 1)
			got := b.String()
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("logged %q, want it to contain %q", got, tt.want)
			}
		})
	}
}
