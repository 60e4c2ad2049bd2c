package config

import (
	"fmt"
	"strings"
	"time"

	"firebot/campaign"
)

// validate checks the decoded configuration as a whole. Every check reports
// at the key path it is about; the decoder turns paths into lines.
func (d *decoder) validate(c *Config) {
	d.validateShared(c)
	d.validateStreet(c)
}

// validateShared checks the deployment-wide sections (SharedKeys); in a
// district they are checked once, in the district file.
func (d *decoder) validateShared(c *Config) {
	d.validateServer(c)
	d.validateWeCom(c)
	d.validateStore(c)
	d.validateRuntime(c)
}

// validateStreet checks a street's own sections (StreetKeys).
func (d *decoder) validateStreet(c *Config) {
	d.validateStreetName(c)
	switch c.Nominations.LatePolicy {
	case LateAccept, LateRefuse:
	default:
		d.at("nominations.late_policy", "未知的逾期处理方式 %q（可选：%s、%s）", c.Nominations.LatePolicy, LateAccept, LateRefuse)
	}
	d.validateAccess(c)
	d.validateCampaign(c)
	d.validateUnits(c)
	d.validatePlans(c)
}

func (d *decoder) validateServer(c *Config) {
	if err := checkListen(c.Server.Listen); err != nil {
		if env := d.fromEnv["server.listen"]; env != "" {
			d.addf(0, "server.listen", "%v（值来自环境变量 %s）", err, env)
		} else {
			d.at("server.listen", "%v", err)
		}
	}
	if c.Server.AdminSocket == "" {
		d.at("server.admin_socket", "请填写管理套接字的路径")
	}
	if c.Server.AdminListen == "" {
		return
	}
	if err := checkListen(c.Server.AdminListen); err != nil {
		d.at("server.admin_listen", "%v", err)
	} else if !isLoopback(c.Server.AdminListen) {
		d.at("server.admin_listen", "管理端口只能监听本机回环地址（如 127.0.0.1:8081），而不是 %q", c.Server.AdminListen)
	}
}

func (d *decoder) validateWeCom(c *Config) {
	w := c.WeCom
	if err := checkBaseURL(w.APIBaseURL); err != nil {
		d.at("wecom.api_base_url", "%v", err)
	}
	if w.AgentID < 0 {
		d.at("wecom.agent_id", "应用 AgentId 不能为负数")
	}
	d.positive("wecom.reply_budget", w.ReplyBudget)
	d.positive("wecom.callback_max_age", w.CallbackMaxAge)
	if w.CallbackMaxAge > DedupeMemory {
		d.at("wecom.callback_max_age", "回调最长有效期 %v 超过了去重记忆的 %v：更旧的回调会被当作新消息重放。请填不超过 %v 的值",
			w.CallbackMaxAge, DedupeMemory, DedupeMemory)
	}
	for _, k := range []struct {
		path string
		key  Secret
	}{
		{"wecom.encoding_aes_key", w.EncodingAESKey},
		{"wecom.robot.encoding_aes_key", w.Robot.EncodingAESKey},
		{"wecom.aibot.encoding_aes_key", w.AIBot.EncodingAESKey},
	} {
		if k.key == "" {
			continue
		}
		if err := checkAESKey(k.key.Reveal()); err != nil {
			if env := d.fromEnv[k.path]; env != "" {
				d.addf(0, k.path, "%v（值来自环境变量 %s）", err, env)
			} else {
				d.at(k.path, "%v", err)
			}
		}
	}
}

func (d *decoder) validateStore(c *Config) {
	s := c.Store
	switch s.Driver {
	case DriverEmbedded:
		if s.Path == "" {
			d.at("store.path", "内置存储需要数据库文件路径")
		}
	case DriverRedis:
		if len(s.Redis.Addrs()) == 0 {
			d.at("store.redis.addr", "使用 Redis 存储时必须填写地址（host:port）")
		}
	default:
		d.at("store.driver", "未知的存储类型 %q（可选：%s、%s）", s.Driver, DriverEmbedded, DriverRedis)
	}
	if s.Redis.DB < 0 {
		d.at("store.redis.db", "Redis 库号不能为负数")
	}
	if s.Redis.PoolSize < 0 || s.Redis.PoolSize > 10000 {
		d.at("store.redis.pool_size", "Redis 连接池大小是 %d：请填 0（用默认的 128）或 1 到 10000 之间的数", s.Redis.PoolSize)
	}
}

func (d *decoder) validateRuntime(c *Config) {
	if c.Media.Dir == "" {
		d.at("media.dir", "请填写媒体文件目录")
	}
	d.positive("dialog.idle_timeout", c.Dialog.IdleTimeout)
	d.positive("outbox.give_up_after", c.Outbox.GiveUpAfter)
	d.positive("privacy.retention", c.Privacy.Retention)
	d.positive("media.exports_keep", c.Media.ExportsKeep)
}

func (d *decoder) positive(path string, v time.Duration) {
	if v <= 0 {
		d.at(path, "时长必须大于 0")
	}
}

func (d *decoder) validateAccess(c *Config) {
	if len(c.Access.OfficeUsers) == 0 {
		d.at("access.office_users", "至少要有一名街道办事处用户（企业微信账号）")
	}
	for i, u := range c.Access.OfficeUsers {
		if strings.TrimSpace(u) == "" {
			d.at(index("access.office_users", i), "用户账号不能为空")
		}
	}
}

func (d *decoder) validatePlans(c *Config) {
	seen := map[string]bool{}
	for i, p := range c.Reminders.Plans {
		path := index("reminders.plans", i)
		d.id(path+".id", p.ID, seen, "提醒计划")
		if p.Deadline != "" {
			if _, ok := c.Campaign.Deadline(p.Deadline); !ok {
				d.at(path+".deadline", "未知的截止项 %q", p.Deadline)
			}
		}
		if p.Event != "" {
			if _, ok := c.Campaign.Event(p.Event); !ok {
				d.at(path+".event", "未知的活动 %q", p.Event)
			}
		}
		if p.Deadline != "" && p.Event != "" {
			d.at(path, "deadline 和 event 只能填一个")
		}
		switch p.Audience.Type {
		case "", AudienceAllBound, AudienceMissing, AudienceKind, AudienceCategory,
			AudienceSector, AudienceOffice, AudienceOfficers:
		default:
			d.at(path+".audience.type", "未知的提醒对象 %q（可选：%s）", p.Audience.Type, strings.Join([]string{
				AudienceAllBound, AudienceMissing, AudienceKind, AudienceCategory,
				AudienceSector, AudienceOffice, AudienceOfficers}, "、"))
		}
		d.kinds(path+".audience.kinds", p.Audience.Kinds)
		d.categories(path+".audience.categories", p.Audience.Categories)
	}
}

// id checks an id is present, plain ASCII and unique among seen.
func (d *decoder) id(path, id string, seen map[string]bool, what string) {
	switch {
	case id == "":
		d.at(path, "%s缺少 id", what)
	case !validID(id):
		d.at(path, "id %q 只能由英文字母、数字、_、-、. 组成", id)
	case seen[id]:
		d.at(path, "%s id %q 重复", what, id)
	}
	seen[id] = true
}

func (d *decoder) required(path, value, what string) {
	if strings.TrimSpace(value) == "" {
		d.at(path, "缺少%s", what)
	}
}

func (d *decoder) kinds(path string, kinds []campaign.Kind) {
	for i, k := range kinds {
		if !k.Valid() {
			d.at(index(path, i), "未知的单位类型 %q（可选：%s）", k, joinKinds())
		}
	}
}

func (d *decoder) categories(path string, cats []campaign.Category) {
	for i, c := range cats {
		if !c.Valid() {
			d.at(index(path, i), "未知类别 %q（可选：%s）", c, joinCategories())
		}
	}
}

func joinKinds() string {
	var s []string
	for _, k := range campaign.Kinds() {
		s = append(s, fmt.Sprintf("%s（%s）", k, k.Label()))
	}
	return strings.Join(s, "、")
}

func joinCategories() string {
	var s []string
	for _, c := range campaign.Categories() {
		s = append(s, string(c))
	}
	return strings.Join(s, "、")
}
