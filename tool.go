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
	"firebot/workbook"
)

// runOp runs an admin operation of t (a street, or the whole district)
// where the store is: through the running service's admin socket
// (server.admin_socket) when a firebot serving this store answers there —
// a district's service runs a street's operation in that street —
// otherwise in this process on the store it opens itself. Something else
// answering on the socket is an error, never a result.
func runOp(ctx context.Context, t *target, op string, params any, out io.Writer, progress func(done, total int)) error {
	shared := t.dist.Shared
	c := &remote.Client{Socket: shared.Server.AdminSocket, Identity: remote.StoreIdentity(shared), Street: t.slot()}
	err := c.Run(ctx, op, params, out)
	if errors.Is(err, remote.ErrNotOurs) {
		return fmt.Errorf("拒绝使用管理套接字 %s 上的回答：%w", shared.Server.AdminSocket, err)
	}
	if !errors.Is(err, remote.ErrNoService) {
		return err
	}
	real := clock.Real{}
	root, err := service.OpenStore(ctx, shared, real, nil)
	if err != nil {
		if errors.Is(err, embedded.ErrLocked) {
			return fmt.Errorf("数据文件 %s 正被运行中的服务占用（或上一次未正常退出）：请先停止服务，或在服务运行时使用管理接口（server.admin_socket）", shared.Store.Path)
		}
		return fmt.Errorf("打开数据存储失败：%w", err)
	}
	defer root.Close() // closes the streets' slots too
	var env *remote.Env
	if t.street == nil {
		env, err = localDistrictEnv(ctx, t.dist, root, real)
	} else {
		env, err = localStreetEnv(ctx, t.cfg, root, t.slot(), real)
	}
	if err != nil {
		return err
	}
	return remote.Local(ctx, env, op, params, out, progress)
}

// localStreetEnv is the environment of a street's operations on slot of
// root, seeded as the service seeds it.
func localStreetEnv(ctx context.Context, cfg *config.Config, root store.Store, slot string, real clock.Clock) (*remote.Env, error) {
	st := root // a lone street: today's layout
	if slot != "" {
		var err error
		if st, err = store.ForStreet(root, slot); err != nil {
			return nil, fmt.Errorf("打开街道 %s 的数据失败：%w", slot, err)
		}
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return service.SeedStore(tx, cfg) }); err != nil {
		return nil, fmt.Errorf("准备数据存储失败：%w", err)
	}
	campaignClock, err := stoppedCampaignClock(ctx, st, cfg, real)
	if err != nil {
		return nil, fmt.Errorf("读取演练时钟失败：%w", err)
	}
	return &remote.Env{Env: ops.Env{Config: cfg, Store: st, Campaign: campaignClock, Real: real}, Ops: service.AdminOps()}, nil
}

// localDistrictEnv is the environment of the district's own operations
// (service.DistrictOps) on root: every street's slot, seeded, with its
// configuration as the service runs it.
func localDistrictEnv(ctx context.Context, dist *config.District, root store.Store, real clock.Clock) (*remote.Env, error) {
	var streets []workbook.Street
	var first *remote.Env
	for _, s := range dist.Streets {
		cfg := service.StreetConfig(s.Config, s.ID, dist.Users)
		env, err := localStreetEnv(ctx, cfg, root, s.ID, real)
		if err != nil {
			return nil, fmt.Errorf("%s：%w", s.Name, err)
		}
		if first == nil {
			first = env
		}
		streets = append(streets, workbook.Street{ID: s.ID, Name: s.Name, Store: env.Store, Config: cfg})
	}
	e := ops.Env{Config: dist.Shared, Store: root, Campaign: first.Campaign, Real: real}
	return &remote.Env{Env: e, Ops: service.DistrictOps(dist.Name, streets)}, nil
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
