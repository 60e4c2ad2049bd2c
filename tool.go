package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"firebot/clock"
	"firebot/config"
	"firebot/ops"
	"firebot/remote"
	"firebot/scheduler"
	"firebot/service"
	"firebot/store"
	"firebot/store/embedded"
)

// runOp runs an admin operation where the store is: through the running
// service's admin socket (server.admin_socket) when a firebot serving this
// store answers there, otherwise in this process on the store it opens
// itself. Something else answering on the socket is an error, never a
// result.
func runOp(ctx context.Context, cfg *config.Config, op string, params any, out io.Writer, progress func(done, total int)) error {
	c := &remote.Client{Socket: cfg.Server.AdminSocket, Identity: remote.StoreIdentity(cfg)}
	err := c.Run(ctx, op, params, out)
	if errors.Is(err, remote.ErrNotOurs) {
		return fmt.Errorf("拒绝使用管理套接字 %s 上的回答：%w", cfg.Server.AdminSocket, err)
	}
	if !errors.Is(err, remote.ErrNoService) {
		return err
	}
	real := clock.Real{}
	st, err := service.OpenStore(ctx, cfg, real, nil)
	if err != nil {
		if errors.Is(err, embedded.ErrLocked) {
			return fmt.Errorf("数据文件 %s 正被运行中的服务占用（或上一次未正常退出）：请先停止服务，或在服务运行时使用管理接口（server.admin_socket）", cfg.Store.Path)
		}
		return fmt.Errorf("打开数据存储失败：%w", err)
	}
	defer st.Close()
	if err := st.Update(ctx, func(tx store.Tx) error { return service.SeedStore(tx, cfg) }); err != nil {
		return fmt.Errorf("准备数据存储失败：%w", err)
	}
	campaignClock, err := stoppedCampaignClock(ctx, st, cfg, real)
	if err != nil {
		return fmt.Errorf("读取演练时钟失败：%w", err)
	}
	env := &remote.Env{Env: ops.Env{Config: cfg, Store: st, Campaign: campaignClock, Real: real}, Ops: service.AdminOps()}
	return remote.Local(ctx, env, op, params, out, progress)
}

// stoppedCampaignClock is the campaign clock of a store no service runs:
// real time for a live store; for a rehearsal store, the last campaign time
// it recorded (the scheduler's watermark, or the latest record's time),
// standing still, so exports are stamped in the rehearsal's time as they
// are while it runs.
func stoppedCampaignClock(ctx context.Context, st store.Store, cfg *config.Config, real clock.Clock) (clock.Clock, error) {
	var last time.Time
	err := st.View(ctx, func(tx store.Tx) error {
		last = time.Time{}
		rehearsal, err := service.IsRehearsal(tx)
		if err != nil || !rehearsal {
			return err
		}
		w, ok, err := scheduler.Watermark(tx, cfg.Campaign.ID)
		if err != nil {
			return err
		}
		if ok {
			last = w
		}
		roster, err := store.Roster(tx)
		if err != nil {
			return err
		}
		for _, u := range append(roster, cfg.Units...) {
			recs, err := store.RecordsOfUnit(tx, cfg.Campaign.ID, u.ID)
			if err != nil {
				return err
			}
			for _, r := range recs {
				if r.UpdatedAt.After(last) {
					last = r.UpdatedAt
				}
			}
		}
		return nil
	})
	if err != nil || last.IsZero() {
		return real, err
	}
	return clock.NewFake(last), nil
}
