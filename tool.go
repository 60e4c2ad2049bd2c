package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"firebot/admin"
	"firebot/clock"
	"firebot/config"
	"firebot/service"
	"firebot/store"
)

// runOp runs an admin operation where the store is: through the running
// service's admin API when one answers on server.admin_listen, otherwise in
// this process on the store it opens itself.
func runOp(ctx context.Context, cfg *config.Config, op string, params any, out io.Writer, progress func(done, total int)) error {
	err := admin.Remote(ctx, cfg.Server.AdminListen, op, params, out)
	if !errors.Is(err, admin.ErrNoService) {
		return err
	}
	real := clock.Real{}
	st, err := service.OpenStore(ctx, cfg, real, nil)
	if err != nil {
		return fmt.Errorf("打开数据存储失败：%w", err)
	}
	defer st.Close()
	if err := st.Update(ctx, func(tx store.Tx) error { return service.SeedStore(tx, cfg) }); err != nil {
		return fmt.Errorf("准备数据存储失败：%w", err)
	}
	env := &admin.Env{Config: cfg, Store: st, Campaign: real, Real: real}
	return admin.Local(ctx, env, op, params, out, progress)
}
