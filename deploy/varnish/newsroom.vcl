vcl 4.1;

# The newsroom behind Varnish: two app servers (or more) in a round-robin
# director with health probes, exact purges by surrogate key (vmod xkey,
# from Debian's varnish-modules), grace when the app servers are down.
#
# The app servers' addresses are written in below by deploy/varnish/render
# (`deploy/varnish/render 127.0.0.1:8001 127.0.0.1:8002 > newsroom.vcl`).

import directors;
import std;
import xkey;

probe health {
    .url = "/healthz";
    .interval = 1s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

#BACKENDS#

# Who may purge: the app servers and the task workers, on this host or the
# private network. Keep it to addresses the public cannot use.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new app = directors.round_robin();
#DIRECTOR#
}

sub vcl_recv {
    set req.backend_hint = app.backend();

    # Exact purges: the app names the keys of what changed (`xkey-purge`).
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }

    # Readers never send these; only the app sets them on responses.
    unset req.http.xkey;
    unset req.http.Surrogate-Capability;

    if (req.method != "GET" && req.method != "HEAD") {
        # Forms and their POSTs.
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        # Anyone signed in (the admin, previews), or carrying a session.
        return (pass);
    }
    # The admin, wherever it is mounted, answers private pages; this spares
    # the lookup.
    if (req.url ~ "^/[^/?]*admin") {
        return (pass);
    }
    # Public pages set no cookie and read none: a reader's other cookies
    # (the CSRF token of a form, analytics) must not split or bypass the cache.
    unset req.http.Cookie;

    # One address per page: tracking parameters dropped, the others sorted.
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl)=[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }

    # Grace: a page past its lifetime is served only when no app server is
    # healthy; otherwise the reader waits for a fresh one (a scheduled release
    # appears at its minute, never a minute late).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_backend_response {
    # The app bounds the edge's lifetime of a public page by the next
    # publication minute (Surrogate-Control); Cache-Control, for browsers,
    # says max-age=0 and nothing of the schedule.
    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+" && beresp.http.Cache-Control ~ "public" && !beresp.http.Set-Cookie) {
        set beresp.ttl = std.duration(regsub(beresp.http.Surrogate-Control, ".*max-age=([0-9]+).*", "\1") + "s", 0s);
        if (beresp.ttl <= 0s) {
            # Made while what it shows changed (or in the last second before
            # a publication minute): passed on, never kept, not even for grace.
            set beresp.uncacheable = true;
            set beresp.ttl = 1s;
            set beresp.grace = 0s;
            unset beresp.http.Surrogate-Control;
            return (deliver);
        }
        set beresp.grace = 1h;
        set beresp.keep = 0s;
        unset beresp.http.Surrogate-Control;
        return (deliver);
    }
    # Static files (hashed names, public for a year): as their headers say.
    if (bereq.url ~ "^/static/" && beresp.status == 200) {
        return (deliver);
    }
    # Anything else the app sends (private pages, forms, errors) is not kept
    # here. Remembered as such for a while (hit-for-miss), so that readers
    # asking for it at once do not wait on each other; a cacheable answer
    # later replaces the mark.
    set beresp.uncacheable = true;
    set beresp.ttl = 120s;
    set beresp.grace = 0s;
    unset beresp.http.Surrogate-Control;
    return (deliver);
}

sub vcl_backend_error {
    # A server that went down between two probes: the next one answers.
    if (bereq.retries < 2) {
        return (retry);
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Surrogate-Control;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    # Whether the edge answered from its copy: for operators and tests.
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
