package service

import "net/http"

// mountAdmin mounts the admin API used by the command-line tools while the
// service holds the store. It is served only on the loopback admin
// listener, never on the callback listener.
func (s *Service) mountAdmin(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/ping", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
}
