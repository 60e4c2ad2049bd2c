package service

import (
	"context"
	"fmt"
	"time"

	"firebot/clock"
	"firebot/config"
	"firebot/store"
)

// OpenDistrict builds a District from a district configuration: it opens
// the deployment's store once (config.District.Shared) and gives the
// district and each street its own slot on it (store.ForStreet: on Redis
// a hash tag per street, in the embedded file a namespace per street).
func OpenDistrict(ctx context.Context, dist *config.District, opts Options) (*District, error) {
	real := opts.Real
	if real == nil {
		real = clock.Real{}
	}
	if opts.Campaign == nil && opts.Now != nil {
		// One rehearsal clock for every street.
		opts.Campaign, opts.Live, opts.Now = clock.NewScaled(real, *opts.Now, opts.Speed), false, nil
	}
	root := opts.Store
	if root == nil {
		var err error
		if root, err = OpenStore(ctx, dist.Shared, real, opts.Logger); err != nil {
			return nil, err
		}
	}
	spec := DistrictSpec{ID: dist.ID, Name: dist.Name, Users: dist.Users, Chats: dist.Chats}
	fail := func(err error) (*District, error) {
		for _, s := range spec.Streets {
			s.Store.Close()
		}
		root.Close()
		return nil, err
	}
	own, err := store.ForStreet(root, dist.ID)
	if err != nil {
		return fail(fmt.Errorf("service: district store: %w", err))
	}
	for _, s := range dist.Streets {
		st, err := store.ForStreet(root, s.ID)
		if err != nil {
			own.Close()
			return fail(fmt.Errorf("service: street %s: %w", s.ID, err))
		}
		spec.Streets = append(spec.Streets, StreetSpec{ID: s.ID, Name: s.Name, Config: s.Config, Store: st})
	}
	o := opts
	o.Store = nil
	d, err := NewDistrict(ctx, spec, own, o)
	if err != nil {
		root.Close()
		return nil, err
	}
	d.root = root
	return d, nil
}

// RunDistrict builds, starts and serves a district until ctx ends, then
// shuts down gracefully.
func RunDistrict(ctx context.Context, dist *config.District, opts Options) error {
	d, err := OpenDistrict(ctx, dist, opts)
	if err != nil {
		return err
	}
	if err := d.Start(ctx); err != nil {
		d.Shutdown(context.Background())
		return err
	}
	<-ctx.Done()
	d.log.Info("stopping firebot")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return d.Shutdown(shutdownCtx)
}
