package config

import (
	"net/url"
	"strings"
)

// The placeholder credentials of config.example.yaml. They pass validation
// so the example runs as-is, and are recognised so firebot never sends them
// to the real WeCom.
const (
	PlaceholderCorpID     = "ww_placeholder_corp"
	PlaceholderSecret     = "placeholder-secret"
	PlaceholderToken      = "placeholderToken"
	PlaceholderAESKey     = "placeholderEncodingAESKey000000000000000000" // 43 characters
	PlaceholderWebhookKey = "placeholder-webhook-key"
)

// realWeComHost is the host of the real WeCom API.
const realWeComHost = "qyapi.weixin.qq.com"

// UsesRealWeCom reports whether wecom.api_base_url points at the real WeCom
// host (rather than a fake server in a test or rehearsal).
func (c *Config) UsesRealWeCom() bool {
	u, err := url.Parse(c.WeCom.APIBaseURL)
	return err == nil && strings.EqualFold(u.Hostname(), realWeComHost)
}

// PlaceholderCredentials reports whether the self-built app's credentials
// (corp_id or secret) are still the example's placeholders.
func (c *Config) PlaceholderCredentials() bool {
	return c.WeCom.CorpID == PlaceholderCorpID || c.WeCom.Secret.Reveal() == PlaceholderSecret
}

// Placeholder reports whether firebot would send placeholder credentials to
// the real WeCom. The service then does not call WeCom at all and keeps
// outbound messages queued; pointed at another base URL it sends normally.
func (c *Config) Placeholder() bool {
	return c.PlaceholderCredentials() && c.UsesRealWeCom()
}
