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
// service's admin socket (server.admin_socket) when a firebot serving this
// store answers there, otherwise in this process on the store it opens
// itself. Something else answering on the socket is an error, never a
// result.
func runOp(ctx context.Context, cfg *config.Config, op string, params any, out io.Writer, progress func(done, total int)) error {
	c := &admin.Client{Socket: cfg.Server.AdminSocket, Identity: admin.StoreIdentity(cfg)}
	err := c.Run(ctx, op, params, out)
	if errors.Is(err, admin.ErrNotOurs) {
		return fmt.Errorf("拒绝使用管理套接字 %s 上的回答：%w", cfg.Server.AdminSocket, err)
	}
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
