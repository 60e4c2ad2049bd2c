// Package logs holds the one rule every firebot component follows for its
// logger: an optional *slog.Logger is injected (nil means the component
// stays quiet), and every record the component writes carries a
// `component` attribute naming it, so one log stream can be filtered by
// component and messages need no "pkg: " prefix.
//
// A component applies the rule once, where it fills in its defaults:
//
//	opts.Logger = logs.For(opts.Logger, "embedded")
package logs

import "log/slog"

// For returns l with the attribute component=name; a nil l gives a logger
// that discards everything (still tagged, so code can use it freely).
func For(l *slog.Logger, name string) *slog.Logger {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return l.With("component", name)
}
