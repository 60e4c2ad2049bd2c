package config

import (
	"time"

	"firebot/campaign"
)

// Secret is a credential that prints as "***"; see campaign.Secret.
type Secret = campaign.Secret

// Defaults.
const (
	DefaultListen         = "127.0.0.1:8080"
	DefaultAdminSocket    = "firebot.sock" // in the store's directory
	DefaultExportsKeep    = 30 * 24 * time.Hour
	DefaultTimezone       = "Asia/Shanghai"
	DefaultAPIBaseURL     = "https://qyapi.weixin.qq.com"
	DefaultReplyBudget    = 3 * time.Second
	DefaultCallbackMaxAge = 10 * time.Minute
	DefaultStorePath      = "data/firebot.db"
	DefaultRedisKeyPrefix = "{firebot}:"
	DefaultMediaDir       = "data/media"
	DefaultIdleTimeout    = 30 * time.Minute
	DefaultGrace          = 6 * time.Hour
	DefaultQuietHours     = "21:00-08:00"
	DefaultGiveUpAfter    = 24 * time.Hour
	DefaultRetention      = 180 * 24 * time.Hour
	// DedupeMemory is how long the callback endpoints remember a message
	// and a (timestamp, nonce) pair; a callback older than that could be
	// replayed, so wecom.callback_max_age may not exceed it.
	DedupeMemory = 2 * time.Hour
)

// Config is the whole configuration file. Field comments give the YAML key.
type Config struct {
	// Street names the street this configuration is for. In a lone
	// configuration file it is optional and the id is usually empty
	// (today's store layout); in a district's street file the id defaults
	// to the file name and the name is required. See District.
	Street      Identity          `yaml:"street"`
	Server      Server            `yaml:"server"`
	Timezone    string            `yaml:"timezone"`
	Location    *time.Location    `yaml:"-"` // Timezone, loaded
	WeCom       WeCom             `yaml:"wecom"`
	Store       Store             `yaml:"store"`
	Media       Media             `yaml:"media"`
	Dialog      Dialog            `yaml:"dialog"`
	Reminders   Reminders         `yaml:"reminders"`
	Nominations Nominations       `yaml:"nominations"`
	Outbox      Outbox            `yaml:"outbox"`
	Privacy     Privacy           `yaml:"privacy"`
	Access      Access            `yaml:"access"`
	Campaign    campaign.Campaign `yaml:"campaign"`
	Units       campaign.Roster   `yaml:"units"`

	// File is the file name given to Parse.
	File  string     `yaml:"-"`
	lines *lineIndex // key path → line, for later validators (see Line)
}

// Identity is the id and name of a street or district.
type Identity struct {
	ID   string `yaml:"id"`   // lowercase ASCII letters, digits and '-' (see ValidStreetID)
	Name string `yaml:"name"` // shown to people, e.g. 上清寺街道
}

// Server holds the listen addresses.
type Server struct {
	Listen string `yaml:"listen"` // callbacks and health; default 127.0.0.1:8080; env FIREBOT_LISTEN
	// AdminSocket is the Unix socket of the admin API the command-line
	// tools use (mode 0660); default firebot.sock beside store.path; env
	// FIREBOT_ADMIN_SOCKET.
	AdminSocket string `yaml:"admin_socket"`
	// AdminListen is the deprecated loopback TCP admin port, kept for one
	// release: it opens only with AdminTokenFile, and serves requests
	// carrying that token and the expected Host. Empty (default): closed.
	AdminListen    string `yaml:"admin_listen"`
	AdminTokenFile string `yaml:"admin_token_file"`
}

// WeCom holds the WeCom credentials: the self-built app, the group robot
// callback and the intelligent robot (aibot) callback.
type WeCom struct {
	CorpID         string        `yaml:"corp_id"`
	AgentID        int64         `yaml:"agent_id"`
	Secret         Secret        `yaml:"secret"`           // env FIREBOT_WECOM_SECRET
	Token          Secret        `yaml:"token"`            // env FIREBOT_WECOM_TOKEN
	EncodingAESKey Secret        `yaml:"encoding_aes_key"` // env FIREBOT_WECOM_ENCODING_AES_KEY
	APIBaseURL     string        `yaml:"api_base_url"`     // no trailing slash
	ReplyBudget    time.Duration `yaml:"reply_budget"`     // time allowed for a passive reply
	CallbackMaxAge time.Duration `yaml:"callback_max_age"` // oldest callback timestamp accepted
	Robot          Robot         `yaml:"robot"`
	AIBot          AIBot         `yaml:"aibot"`
}

// Robot is the group robot's callback configuration.
type Robot struct {
	Token          Secret `yaml:"token"`            // env FIREBOT_ROBOT_TOKEN
	EncodingAESKey Secret `yaml:"encoding_aes_key"` // env FIREBOT_ROBOT_ENCODING_AES_KEY
	ReceiveID      string `yaml:"receive_id"`       // expected receive id; empty: not checked
}

// AIBot is the intelligent robot's callback configuration.
type AIBot struct {
	Token          Secret `yaml:"token"`            // env FIREBOT_AIBOT_TOKEN
	EncodingAESKey Secret `yaml:"encoding_aes_key"` // env FIREBOT_AIBOT_ENCODING_AES_KEY
}

// Store drivers.
const (
	DriverEmbedded = "embedded"
	DriverRedis    = "redis"
)

// Store selects and configures the storage backend.
type Store struct {
	Driver string `yaml:"driver"` // DriverEmbedded (default) or DriverRedis
	Path   string `yaml:"path"`   // embedded: the database file
	Redis  Redis  `yaml:"redis"`
}

// Redis configures the Redis backend.
type Redis struct {
	// Addr is host:port; several comma-separated for Sentinel or Cluster.
	Addr       string `yaml:"addr"`
	MasterName string `yaml:"master_name"` // Sentinel master; empty otherwise
	Password   Secret `yaml:"password"`    // env FIREBOT_REDIS_PASSWORD
	DB         int    `yaml:"db"`
	KeyPrefix  string `yaml:"key_prefix"` // default "{firebot}:"
	// PoolSize is the connections kept per Redis server; 0 → the store's
	// default (redisstore.DefaultPoolSize).
	PoolSize int `yaml:"pool_size"`
}

// Addrs splits Addr at commas.
func (r Redis) Addrs() []string { return splitList(r.Addr) }

// Media configures where received pictures and files are kept.
type Media struct {
	Dir string `yaml:"dir"`
	// ExportsKeep is how long export jobs' files under dir/exports are
	// kept (default 30 days).
	ExportsKeep time.Duration `yaml:"exports_keep"`
}

// Dialog configures multi-step conversations.
type Dialog struct {
	IdleTimeout time.Duration `yaml:"idle_timeout"` // a dialog idle this long is dropped
}

// Reminders configures scheduled reminders.
type Reminders struct {
	Grace      time.Duration `yaml:"grace"`       // how late a missed reminder may still go out
	QuietHours QuietHours    `yaml:"quiet_hours"` // "21:00-08:00"; "" or "off" disables
	Plans      []Plan        `yaml:"plans"`
}

// Plan is a reminder plan as written in the file. Only ids, references and
// the audience type are checked here; the scheduler interprets the rest.
type Plan struct {
	ID       string   `yaml:"id"`
	Title    string   `yaml:"title"`
	Deadline string   `yaml:"deadline"` // id of the deadline it counts from
	Event    string   `yaml:"event"`    // or id of the event it counts from
	Offsets  []string `yaml:"offsets"`  // "-1d@09:00", "-2h"
	At       []string `yaml:"at"`       // absolute times
	Cron     string   `yaml:"cron"`
	From     string   `yaml:"from"`
	To       string   `yaml:"to"`
	Audience Audience `yaml:"audience"`
	Urgent   bool     `yaml:"urgent"` // sent even in quiet hours
}

// Audience types.
const (
	AudienceAllBound = "all_bound" // every bound group
	AudienceMissing  = "missing"   // units that have not reported yet
	AudienceKind     = "kind"
	AudienceCategory = "category"
	AudienceSector   = "sector"
	AudienceOffice   = "office"   // the office chats
	AudienceOfficers = "officers" // officers by direct message
)

// Audience says who a plan's reminder goes to.
type Audience struct {
	Type       string              `yaml:"type"`
	Kinds      []campaign.Kind     `yaml:"kinds"`
	Categories []campaign.Category `yaml:"categories"`
	Sectors    []string            `yaml:"sectors"`
	Units      []string            `yaml:"units"`
	Tasks      []string            `yaml:"tasks"`
}

// Late policies for nominations.
const (
	LateAccept = "accept" // accept late nominations, marked late
	LateRefuse = "refuse"
)

// Nominations configures nomination handling.
type Nominations struct {
	LatePolicy string `yaml:"late_policy"` // LateAccept (default) or LateRefuse
}

// Outbox configures outbound message retries.
type Outbox struct {
	GiveUpAfter time.Duration `yaml:"give_up_after"`
}

// Privacy configures data retention.
type Privacy struct {
	Retention time.Duration `yaml:"retention"` // "180d" or "4320h"
}

// Access says who the street office is.
type Access struct {
	OfficeUsers []string        `yaml:"office_users"` // WeCom user ids with office rights
	OfficeChats []campaign.Chat `yaml:"office_chats"`
}

// Default returns a Config holding every default and no campaign or units.
func Default() *Config {
	loc, err := time.LoadLocation(DefaultTimezone)
	if err != nil {
		loc = fallbackLocation
	}
	qh, _ := parseQuietHours(DefaultQuietHours)
	return &Config{
		Server:   Server{Listen: DefaultListen},
		Timezone: DefaultTimezone,
		Location: loc,
		WeCom: WeCom{
			APIBaseURL:     DefaultAPIBaseURL,
			ReplyBudget:    DefaultReplyBudget,
			CallbackMaxAge: DefaultCallbackMaxAge,
		},
		Store: Store{
			Driver: DriverEmbedded,
			Path:   DefaultStorePath,
			Redis:  Redis{KeyPrefix: DefaultRedisKeyPrefix},
		},
		Media:       Media{Dir: DefaultMediaDir, ExportsKeep: DefaultExportsKeep},
		Dialog:      Dialog{IdleTimeout: DefaultIdleTimeout},
		Reminders:   Reminders{Grace: DefaultGrace, QuietHours: qh},
		Nominations: Nominations{LatePolicy: LateAccept},
		Outbox:      Outbox{GiveUpAfter: DefaultGiveUpAfter},
		Privacy:     Privacy{Retention: DefaultRetention},
	}
}

// fallbackLocation stands in when the timezone cannot be loaded, so the rest
// of the file can still be checked.
var fallbackLocation = time.FixedZone("CST", 8*3600)

// Line returns the line in the file where the key path (as in Problem.Path,
// e.g. "reminders.plans[2].offsets[0]") was written, or 0.
func (c *Config) Line(path string) int {
	if c == nil || c.lines == nil {
		return 0
	}
	return c.lines.m[path]
}

type lineIndex struct{ m map[string]int }
