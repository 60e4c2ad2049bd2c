package scheduler

import "log/slog"

// cronLogger lets robfig/cron's job wrappers (Recover, SkipIfStillRunning)
// log through slog.
type cronLogger struct{ l *slog.Logger }

// Info logs routine messages, e.g. "skip" from SkipIfStillRunning.
func (c cronLogger) Info(msg string, kv ...any) { c.l.Info(msg, kv...) }

// Error logs failures, e.g. a recovered panic with its stack.
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error(msg, append([]any{"err", err}, kv...)...)
}
