# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# nginx on 127.0.0.1 from a temp prefix, for the suites that put a shipped
# auth snippet in front of a page (tests/nginx.sh: fcgiwrap + the CGI;
# tests/fastcgi.sh: mtls-fastcgi).  Sourced after lib.sh and slapd.sh; W is
# the prefix, PIDS the servers to stop.

# nginx_start SNIPPET [HTTP-LINE]: writes nginx.conf including SNIPPET (a
# file in $W/conf) in front of $W/html, starts nginx on a free port (PORT)
# and says so; ends the suite when it does not start.
nginx_start() {
	PORT=$(free_port)
	cat > "$W/conf/nginx.conf" <<CONF
worker_processes 1;
pid $W/nginx.pid;
error_log $W/logs/error.log info;
events { worker_connections 64; }
http {
    access_log $W/logs/access.log;
    client_body_temp_path $W/tmp/body;
    proxy_temp_path $W/tmp/proxy;
    fastcgi_temp_path $W/tmp/fastcgi;
    uwsgi_temp_path $W/tmp/uwsgi;
    scgi_temp_path $W/tmp/scgi;
    ${2:-}
    server {
        listen 127.0.0.1:$PORT ssl;
        ssl_certificate $PKI/server-chain.pem;
        ssl_certificate_key $PKI/server.key;
        include $W/conf/$1;
        location / {
            root $W/html;
            auth_request /mtls-auth;
            auth_request_set \$mtls_user \$upstream_http_x_mtls_user;
            auth_request_set \$mtls_reason \$upstream_http_x_mtls_reason;
            add_header X-Mtls-User \$mtls_user always;
            add_header X-Test-Reason \$mtls_reason always;
        }
    }
}
CONF
	nginx -p "$W" -e "$W/logs/error.log" -c "$W/conf/nginx.conf" -g 'daemon off;' &
	PIDS+=($!)
	wait_port "$PORT" || { not_ok "nginx starts: $(tail -3 "$W/logs/error.log")"; done_testing; }
	ok "nginx with the shipped snippet listens on 127.0.0.1:$PORT"
}

# get [curl args...]: sets status, user, reason, body
get() {
	local h="$WORK/headers"
	body=$(curl -s -o - -D "$h" --max-time 10 --cacert "$PKI/ca.pem" "$@" \
		"https://127.0.0.1:$PORT/index.html")
	status=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$h")
	user=$(sed -n 's/^X-Mtls-User: \(.*\)\r$/\1/p' "$h")
	reason=$(sed -n 's/^X-Test-Reason: \(.*\)\r$/\1/p' "$h")
}
cert() { echo --cert "$PKI/$1.pem" --key "$PKI/$1.key"; }
