#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# CGI for nginx's auth_request under fcgiwrap.  The certificate is read
# only from HTTP_X_SSL_CLIENT_CERT, which conf/nginx/mtls-auth.conf sets.
exec /usr/sbin/mtls-auth --cgi --service nginx
