package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"firebot/clock"
	"firebot/config"
	"firebot/redact"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/store/redisstore"
	"firebot/wecom"
)

// openStore opens the configured backend (or takes the injected one).
func openStore(ctx context.Context, cfg *config.Config, opts Options, real clock.Clock, log *slog.Logger) (store.Store, error) {
	if opts.Store != nil {
		return opts.Store, nil
	}
	return OpenStore(ctx, cfg, real, log)
}

// OpenStore opens the configured store backend (for command-line tools
// when no service runs).
func OpenStore(ctx context.Context, cfg *config.Config, real clock.Clock, log *slog.Logger) (store.Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	switch cfg.Store.Driver {
	case config.DriverRedis:
		r := cfg.Store.Redis
		client, err := redisstore.NewClient(redisstore.ClientOptions{
			Addr: r.Addr, MasterName: r.MasterName, Password: r.Password.Reveal(), DB: r.DB, PoolSize: r.PoolSize})
		if err != nil {
			return nil, fmt.Errorf("service: redis: %w", err)
		}
		st := redisstore.New(client, r.KeyPrefix, redisstore.Options{Real: real, Logger: log})
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := st.Ping(pingCtx); err != nil {
			st.Close()
			return nil, fmt.Errorf("service: 无法连接 Redis %s：%s", redact.String(r.Addr), redact.Error(err))
		}
		return st, nil
	default:
		return embedded.Open(cfg.Store.Path, embedded.Options{Real: real, Logger: log})
	}
}

// storeTokens keeps WeCom access tokens in the store, so every replica
// shares one token instead of each fetching its own.
type storeTokens struct{ st store.Store }

const bTokens = "wecom_token"

type cachedToken struct {
	Token     string    `json:"t"`
	ExpiresAt time.Time `json:"e"`
}

func (c storeTokens) Get(ctx context.Context, key string) (string, time.Time, error) {
	var t cachedToken
	err := c.st.View(ctx, func(tx store.Tx) error { return store.GetJSON(tx, bTokens, key, &t) })
	if errors.Is(err, store.ErrNotFound) {
		return "", time.Time{}, wecom.ErrTokenNotFound
	}
	return t.Token, t.ExpiresAt, err
}

func (c storeTokens) Put(ctx context.Context, key, token string, expiresAt time.Time) error {
	return c.st.Update(ctx, func(tx store.Tx) error {
		ttl := expiresAt.Sub(tx.Now())
		if ttl <= 0 {
			return nil
		}
		b, err := json.Marshal(cachedToken{Token: token, ExpiresAt: expiresAt})
		if err != nil {
			return err
		}
		return tx.PutTTL(bTokens, key, b, ttl)
	})
}

func (c storeTokens) Delete(ctx context.Context, key string) error {
	return c.st.Update(ctx, func(tx store.Tx) error { return tx.Delete(bTokens, key) })
}
