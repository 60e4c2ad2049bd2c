package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"firebot/clock"
	"firebot/config"
	"firebot/ops"
	"firebot/remote"
	"firebot/service"
	"firebot/store/embedded"
)

func init() {
	register(&command{
		name:    "backup",
		args:    "-config FILE -o FILE",
		summary: "备份内置数据存储（区级配置时包括所有街道；服务运行时经管理套接字在线备份，停止时直接复制）；Redis 请用 Redis 自己的持久化",
		run:     runBackup,
	})
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("backup", stderr, true)
	out := fs.String("o", "", "备份文件的输出路径（必填），例如 -o firebot-20231201.db")
	if code, ok := fs.parseNone(args); !ok {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "firebot backup：请用 -o 指定备份文件的输出路径，例如 -o firebot-backup.db")
		return 2
	}
	// A district's streets share one store (one embedded file): its
	// backup holds them all.
	dist, ok := loadDistrict(*fs.config, stderr)
	if !ok {
		return 1
	}
	cfg := dist.Shared
	if cfg.Store.Driver == config.DriverRedis {
		fmt.Fprintf(stderr, "firebot backup：%v\n", remote.ErrNoBackup)
		return 1
	}
	if abs, err := filepath.Abs(*out); err == nil {
		if store, err := filepath.Abs(cfg.Store.Path); err == nil && abs == store {
			fmt.Fprintln(stderr, "firebot backup：备份文件不能就是数据文件本身")
			return 2
		}
	}
	n, err := backupTo(ctx, cfg, *out)
	if err != nil {
		fmt.Fprintf(stderr, "firebot backup：备份失败：%v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "已备份数据存储：%s（%s，已校验可以打开）\n", *out, humanBytes(n))
	return 0
}

// backupTo copies the store to path through a temporary file in the same
// directory, synced and checked to open before it is renamed into place:
// a failed backup never leaves a file that looks like one.
func backupTo(ctx context.Context, cfg *config.Config, path string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	err = backupStore(ctx, cfg, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	check, err := embedded.Open(tmp.Name(), embedded.Options{})
	if err != nil {
		return 0, fmt.Errorf("备份文件无法打开：%w", err)
	}
	err = check.Ping(ctx)
	if cerr := check.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("备份文件无法读取：%w", err)
	}
	fi, err := os.Stat(tmp.Name()) // the size the user is told
	if err != nil {
		return 0, err
	}
	return fi.Size(), os.Rename(tmp.Name(), path)
}

// backupStore streams the store to w: from the running service through the
// admin socket, or, when none runs, from the data file opened here (read
// only: nothing is seeded or written).
func backupStore(ctx context.Context, cfg *config.Config, w io.Writer) error {
	c := &remote.Client{Socket: cfg.Server.AdminSocket, Identity: remote.StoreIdentity(cfg)}
	err := c.Run(ctx, remote.OpBackup, struct{}{}, w)
	if errors.Is(err, remote.ErrNotOurs) {
		return fmt.Errorf("拒绝使用管理套接字 %s 上的回答：%w", cfg.Server.AdminSocket, err)
	}
	if !errors.Is(err, remote.ErrNoService) {
		return err
	}
	if _, err := os.Stat(cfg.Store.Path); err != nil {
		return fmt.Errorf("数据文件 %s 不存在：%w", cfg.Store.Path, err)
	}
	st, err := service.OpenStore(ctx, cfg, clock.Real{}, nil)
	if err != nil {
		return fmt.Errorf("打开数据存储失败：%w", err)
	}
	defer st.Close()
	return remote.Local(ctx, &remote.Env{Env: ops.Env{Config: cfg, Store: st, Real: clock.Real{}, Campaign: clock.Real{}}, Ops: []ops.Op{remote.Backup}}, remote.OpBackup, struct{}{}, w, nil)
}
