package service

import (
	"context"
	"errors"
	"net/http"

	"firebot/admin"
	"firebot/wecom"
)

// mountAdmin mounts the admin API used by the command-line tools while the
// service holds the store. It is served only on the loopback admin
// listener, never on the callback listener.
func (s *Service) mountAdmin(mux *http.ServeMux) {
	admin.Mount(mux, s.AdminEnv())
}

// AdminEnv is the environment admin operations run in.
func (s *Service) AdminEnv() *admin.Env {
	return &admin.Env{Config: s.Config, Store: s.Store, Campaign: s.Campaign, Real: s.Real, Logger: s.Logger,
		UserName: s.userName}
}

// userName is admin.Env.UserName over the WeCom client.
func (s *Service) userName(ctx context.Context, userID string) (string, bool, error) {
	if s.Client == nil {
		return "", false, errors.New("service: no WeCom client")
	}
	u, err := s.Client.GetUser(ctx, userID)
	if errors.Is(err, wecom.ErrUserNotVisible) {
		return "", true, nil
	}
	return u.Name, false, err
}
