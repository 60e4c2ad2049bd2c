package remote

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"firebot/ops"
)

// OpBackup is the operation behind "firebot backup": a consistent copy of
// the embedded store, streamed while the service goes on.
const OpBackup = "backup"

// Backuper is a store that can copy itself consistently (the embedded
// store; Redis keeps its own persistence).
type Backuper interface {
	Backup(ctx context.Context, w io.Writer) (int64, error)
}

// ErrNoBackup: the store does not back itself up (Redis).
var ErrNoBackup = errors.New("使用 Redis 存储时不用 firebot backup 备份：请用 Redis 自己的持久化（RDB 快照 BGSAVE 或 AOF）备份，见 README“备份”")

// Backup is the backup operation.
var Backup = ops.Op{Name: OpBackup, Run: func(ctx context.Context, env *ops.Env, _ json.RawMessage, out io.Writer, _ func(done, total int)) error {
	b, ok := env.Store.(Backuper)
	if !ok {
		return ErrNoBackup
	}
	_, err := b.Backup(ctx, out)
	return err
}}
