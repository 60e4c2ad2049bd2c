package service

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"

	"firebot/ops"
	"firebot/redact"
	"firebot/remote"
	"firebot/wecom"
)

// AdminEnv is the environment admin operations run in.
func (s *Service) AdminEnv() *remote.Env {
	return &remote.Env{
		Env:      ops.Env{Config: s.Config, Store: s.Store, Campaign: s.Campaign, Real: s.Real, Logger: s.Logger, UserName: s.userName},
		Identity: remote.StoreIdentity(s.Config),
		Ops:      AdminOps(),
	}
}

// userName is ops.Env.UserName over the WeCom client.
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

// startAdmin opens the admin socket (server.admin_socket, or the injected
// listener) and, for one more release, the legacy loopback port. Neither
// can stop the service from starting: a failure is logged and the tools
// then find no service (and refuse to open a store held by it).
func (s *Service) startAdmin() {
	env := s.AdminEnv()
	ln := s.opts.AdminListener
	if ln == nil {
		var err error
		if ln, err = remote.Listen(s.Config.Server.AdminSocket); err != nil {
			s.log.Error("admin socket cannot be opened; the command-line tool cannot reach the service", "socket", s.Config.Server.AdminSocket, "err", err)
		}
	}
	if ln != nil {
		s.adminAddr = ln.Addr().String()
		s.serveWith(ln, remote.NewServer(env))
	}
	s.startLegacyAdmin(env)
}

// startLegacyAdmin opens server.admin_listen only with a token file.
func (s *Service) startLegacyAdmin(env *remote.Env) {
	srv := s.Config.Server
	if srv.AdminListen == "" {
		return
	}
	if srv.AdminTokenFile == "" {
		s.log.Warn("server.admin_listen disabled: server.admin_token_file is not set, so the admin port stays closed; the command-line tool uses the admin socket",
			"admin_listen", srv.AdminListen, "admin_socket", srv.AdminSocket)
		return
	}
	b, err := os.ReadFile(srv.AdminTokenFile)
	token := strings.TrimSpace(string(b))
	if err == nil && len(token) < 16 {
		err = errors.New("令牌太短（至少 16 个字符）")
	}
	if err != nil {
		s.log.Warn("server.admin_listen not opened: cannot read the admin token", "admin_token_file", srv.AdminTokenFile, "err", err)
		return
	}
	redact.Add(token)
	ln, err := net.Listen("tcp", srv.AdminListen)
	if err != nil {
		s.log.Warn("server.admin_listen not opened", "admin_listen", srv.AdminListen, "err", err)
		return
	}
	s.legacyAddr = ln.Addr().String()
	s.log.Warn("server.admin_listen is deprecated and goes away in the next release; use the admin socket", "admin_listen", s.legacyAddr, "admin_socket", srv.AdminSocket)
	s.serveWith(ln, remote.LegacyServer(env, s.legacyAddr, token))
}

// AdminAddr is the admin socket's address (after Start; "" when it could
// not be opened).
func (s *Service) AdminAddr() string { return s.adminAddr }

// LegacyAdminAddr is server.admin_listen's address when it is open.
func (s *Service) LegacyAdminAddr() string { return s.legacyAddr }
