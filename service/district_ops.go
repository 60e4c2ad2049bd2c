package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"

	"firebot/config"
	"firebot/ops"
	"firebot/remote"
	"firebot/workbook"
)

// A district's admin socket: the command-line tools run a street's
// operations (export, reminders plan, roster import, archive…) in that
// street's environment, named by the request's street parameter, and the
// district's own ones (the whole store's backup, the district export) at
// the district's level.

// OpDistrictExport is the operation behind "firebot export" with a
// district file and no -street: the district workbook
// (workbook.WriteDistrict) of every street.
const OpDistrictExport = "district-export"

// StreetConfig is street's configuration as a district runs it: its media
// (photos, exports) under media.dir/<street>, since record ids repeat
// across streets, and the district staff among its office users (they act
// in a street as its office, read-only there).
func StreetConfig(cfg *config.Config, street string, districtUsers []string) *config.Config {
	c := *cfg
	c.Media.Dir = filepath.Join(c.Media.Dir, street)
	c.Access.OfficeUsers = slices.Concat(c.Access.OfficeUsers, districtUsers)
	return &c
}

// DistrictOps are the operations of a district's own level: the backup of
// the whole store (env.Store is the shared backend) and the district
// export of streets, under the district's name.
func DistrictOps(name string, streets []workbook.Street) []ops.Op {
	return []ops.Op{remote.Backup, {Name: OpDistrictExport, Run: func(ctx context.Context, env *ops.Env, params json.RawMessage, out io.Writer, progress func(done, total int)) error {
		if p := strings.TrimSpace(string(params)); p != "" && p != "null" && p != "{}" {
			return fmt.Errorf("不认识的参数 %s", p)
		}
		now := env.Campaign.Now()
		if env.Config != nil && env.Config.Location != nil {
			now = now.In(env.Config.Location)
		}
		return workbook.WriteDistrict(ctx, out, name, streets, workbook.Options{Now: now, Progress: progress, Logger: env.Logger})
	}}}
}

// AdminEnv is the district's admin environment: its own level on the
// shared backend, and every street's AdminEnv by street id.
func (d *District) AdminEnv() *remote.Env {
	cfg := d.Streets[0].Config // its store and timezone are every street's
	root := d.root
	if root == nil {
		root = d.Store // built by NewDistrict alone: no backend to back up
	}
	streets := make([]workbook.Street, 0, len(d.Streets))
	env := &remote.Env{
		Env:      ops.Env{Config: cfg, Store: root, Campaign: d.Streets[0].Campaign, Real: d.real, Logger: d.log},
		Identity: remote.StoreIdentity(cfg),
		Streets:  map[string]*remote.Env{},
	}
	for _, v := range d.streetViews() {
		streets = append(streets, workbook.Street{ID: v.ID, Name: v.Name, Store: v.Store, Config: v.Config})
		env.Streets[v.ID] = d.Street(v.ID).AdminEnv()
	}
	env.Ops = DistrictOps(d.Spec.Name, streets)
	return env
}

// districtAdmin is a district's admin socket server.
type districtAdmin struct {
	srv  *http.Server
	addr string
}

// startAdmin opens the district's admin socket (server.admin_socket, or
// the injected listener). A failure cannot stop the district from
// starting: it is logged, and the tools then find no service.
func (d *District) startAdmin() {
	sock := d.Streets[0].Config.Server.AdminSocket
	ln := d.opts.AdminListener
	if ln == nil {
		var err error
		if ln, err = remote.Listen(sock); err != nil {
			d.log.Error("admin socket cannot be opened; the command-line tool cannot reach the service", "socket", sock, "err", err)
			return
		}
	}
	d.admin = &districtAdmin{srv: remote.NewServer(d.AdminEnv()), addr: ln.Addr().String()}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if err := d.admin.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			d.log.Error("admin server stopped", "socket", sock, "err", err)
		}
	}()
}

// stopAdmin closes the admin socket, letting running operations finish
// within ctx.
func (d *District) stopAdmin(ctx context.Context) error {
	if d.admin == nil {
		return nil
	}
	return d.admin.srv.Shutdown(ctx)
}

// AdminAddr is the admin socket's address (after Start; "" when it could
// not be opened).
func (d *District) AdminAddr() string {
	if d.admin == nil {
		return ""
	}
	return d.admin.addr
}
