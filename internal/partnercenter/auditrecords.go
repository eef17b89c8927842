package partnercenter

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// ListAuditRecordsOptions select one page of the partner's activity log.
type ListAuditRecordsOptions struct {
	// Start is the earliest operation date (required; at most wire.AuditRetention ago).
	Start time.Time
	// End is the latest operation date; zero lets the server use now (or Start plus
	// wire.AuditMaxWindow, whichever is earlier).
	End time.Time
	// Size is the page size (0 lets the server choose).
	Size int
	// Filter narrows the records (wire.AuditFilterField*; nil = all).
	Filter *wire.Filter
	// ContinuationToken is the previous page's ContinuationToken; empty for the first page.
	ContinuationToken string
}

// auditDateLayout is how dates go on the wire. The REST reference types startDate and
// endDate as date-time; a change feed needs more than the day the older samples send.
const auditDateLayout = time.RFC3339

// ListAuditRecords returns one page of audit records, newest first; fetch the next with the
// page's ContinuationToken (sent as MS-ContinuationToken with the same query).
func (c *Client) ListAuditRecords(ctx context.Context, opts ListAuditRecordsOptions) (*wire.Collection[wire.AuditRecord], error) {
	q := url.Values{}
	q.Set("startDate", opts.Start.UTC().Format(auditDateLayout))
	if !opts.End.IsZero() {
		q.Set("endDate", opts.End.UTC().Format(auditDateLayout))
	}
	if opts.Size > 0 {
		q.Set("size", strconv.Itoa(opts.Size))
	}
	if opts.Filter != nil {
		filter, err := json.Marshal(opts.Filter)
		if err != nil {
			return nil, err
		}
		q.Set("filter", string(filter))
	}
	cl := call{op: wire.OpListAuditRecords, method: http.MethodGet, path: "/v1/auditrecords", query: q}
	if opts.ContinuationToken != "" {
		cl.headers = map[string]string{wire.HeaderContinuationToken: opts.ContinuationToken}
	}
	var out wire.Collection[wire.AuditRecord]
	_, err := c.do(ctx, cl, &out)
	return valueOrNil(&out, err)
}

// ListAllAuditRecords follows continuation tokens and returns every record opts select.
func (c *Client) ListAllAuditRecords(ctx context.Context, opts ListAuditRecordsOptions) ([]wire.AuditRecord, error) {
	return allPages(opts.ContinuationToken, func(token string) (*wire.Collection[wire.AuditRecord], error) {
		opts.ContinuationToken = token
		return c.ListAuditRecords(ctx, opts)
	})
}
