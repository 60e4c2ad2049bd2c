package service

import (
	"net/http"

	"firebot/admin"
)

// mountAdmin mounts the admin API used by the command-line tools while the
// service holds the store. It is served only on the loopback admin
// listener, never on the callback listener.
func (s *Service) mountAdmin(mux *http.ServeMux) {
	admin.Mount(mux, s.AdminEnv())
}

// AdminEnv is the environment admin operations run in.
func (s *Service) AdminEnv() *admin.Env {
	return &admin.Env{Config: s.Config, Store: s.Store, Campaign: s.Campaign, Real: s.Real, Logger: s.Logger}
}
