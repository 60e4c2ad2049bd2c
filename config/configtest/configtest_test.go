package configtest

import "testing"

func TestDistrict(t *testing.T) {
	dist := District(t)
	if len(dist.Streets) != 3 || dist.Single {
		t.Fatalf("streets = %d, single = %v", len(dist.Streets), dist.Single)
	}
	for _, s := range dist.Streets {
		if s.Config.Store.Path != dist.Shared.Store.Path || s.Config.Media.Dir != dist.Shared.Media.Dir || s.Config.Store.Path == "data/firebot.db" {
			t.Errorf("street %s: store %q media %q", s.ID, s.Config.Store.Path, s.Config.Media.Dir)
		}
	}
}
