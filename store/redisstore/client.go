package redisstore

import (
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// NewClient builds the client for a configured address, which is one of:
//
//   - "host:port": a single server (or, with masterName, a Sentinel);
//   - "redis://…" or "rediss://…" (TLS): a single server, with user, password
//     and database in the URL (password and db fill in what the URL omits);
//   - "host1:port,host2:port,…": a Cluster seed list, or Sentinel addresses
//     when masterName is set.
//
// It does not connect; use Store.Ping. The caller closes the client.
func NewClient(addr, masterName, password string, db int) (redis.UniversalClient, error) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return nil, errors.New("redisstore: 未配置 Redis 地址")
	}
	if strings.HasPrefix(addr, "redis://") || strings.HasPrefix(addr, "rediss://") {
		o, err := redis.ParseURL(addr)
		if err != nil {
			// The URL may contain a password: do not echo it.
			return nil, errors.New("redisstore: Redis 地址（URL）格式不正确")
		}
		if o.Password == "" {
			o.Password = password
		}
		if o.DB == 0 {
			o.DB = db
		}
		return redis.NewUniversalClient(&redis.UniversalOptions{
			Addrs:      []string{o.Addr},
			MasterName: masterName,
			Username:   o.Username,
			Password:   o.Password,
			DB:         o.DB,
			TLSConfig:  o.TLSConfig,
		}), nil
	}
	var addrs []string
	for a := range strings.SplitSeq(addr, ",") {
		if a = strings.TrimSpace(a); a != "" {
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 0 {
		return nil, errors.New("redisstore: 未配置 Redis 地址")
	}
	if len(addrs) > 1 && masterName == "" && db != 0 {
		return nil, fmt.Errorf("redisstore: Redis 集群（多个地址）只支持 0 号数据库，配置的是 %d 号", db)
	}
	return redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:      addrs,
		MasterName: masterName,
		Password:   password,
		DB:         db,
	}), nil
}
