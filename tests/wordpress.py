"""A real WordPress for tests: Debian's package, a private MariaDB, PHP's built-in server.

Everything lives in one temporary folder and listens on 127.0.0.1 or a Unix socket only.
"""

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

WORDPRESS = Path("/usr/share/wordpress")
TOOLS = ("mariadb-install-db", "mariadbd", "mariadb", "php")
INSTALL_HINT = "apt-get install wordpress mariadb-server php-cli php-mysql"

WP_CONFIG = """<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', 'wordpress');
define('DB_HOST', 'localhost:{socket}');
define('DB_CHARSET', 'utf8mb4');
define('WP_HOME', '{url}');
define('WP_SITEURL', '{url}');
// Application passwords over plain HTTP are allowed only on a local environment.
define('WP_ENVIRONMENT_TYPE', 'local');
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
$table_prefix = 'wp_';
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
"""
# PHP's server has no rewrite rules: send what is not a file to WordPress, as .htaccess would.
ROUTER = """<?php
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/' && file_exists(__DIR__ . $path) && !is_dir(__DIR__ . $path)) return false;
$_SERVER['SCRIPT_NAME'] = '/index.php';
require __DIR__ . '/index.php';
"""
SETUP = """
$_SERVER['HTTP_HOST'] = '127.0.0.1';
define('WP_INSTALLING', true);
require 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Partner network', 'editor', 'editor@example.org', true, '', 'editor-password');
update_option('permalink_structure', '/%postname%/');
[$password] = WP_Application_Passwords::create_new_application_password(1, ['name' => 'tilmash']);
echo $password;
"""


def missing_tools():
    return [tool for tool in TOOLS if shutil.which(tool) is None] + ([] if WORDPRESS.is_dir() else ["wordpress"])


class LocalWordPress:
    def __init__(self, folder, port):
        self.folder = Path(folder)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.api = f"{self.url}/wp-json/wp/v2"
        self.socket = self.folder / "mysqld.sock"
        self.processes = []
        self.user = "editor"
        self.password = None

    def start(self):
        data = self.folder / "db"
        subprocess.run(["mariadb-install-db", f"--datadir={data}", "--user=root", "--skip-test-db",
                        "--auth-root-authentication-method=socket"], check=True, capture_output=True)  # fmt: skip
        log = open(self.folder / "mariadb.log", "w")
        self.processes.append(subprocess.Popen(
            ["mariadbd", "--no-defaults", f"--datadir={data}", f"--socket={self.socket}", "--skip-networking",
             "--user=root", f"--pid-file={self.folder / 'mariadb.pid'}", "--innodb-buffer-pool-size=32M"],
            stdout=log, stderr=log))  # fmt: skip
        self._wait(lambda: self.socket.exists(), "MariaDB")
        self._sql("CREATE DATABASE wordpress; CREATE USER wordpress@localhost IDENTIFIED BY 'wordpress';"
                  "GRANT ALL ON wordpress.* TO wordpress@localhost;")  # fmt: skip
        site = self.folder / "wordpress"
        shutil.copytree(WORDPRESS, site, symlinks=True)
        (site / "wp-config.php").unlink()
        (site / "wp-config.php").write_text(WP_CONFIG.format(socket=self.socket, url=self.url))
        (site / "router.php").write_text(ROUTER)
        setup = subprocess.run(["php", "-r", SETUP], cwd=site, capture_output=True, text=True, check=True)
        self.password = setup.stdout.strip().splitlines()[-1]
        log = open(self.folder / "php.log", "w")
        self.processes.append(subprocess.Popen(["php", "-S", f"127.0.0.1:{self.port}", "-t", str(site), "router.php"],
                                               cwd=site, stdout=log, stderr=log))  # fmt: skip
        self._wait(self._answers, "WordPress")
        return self

    def _answers(self):
        try:
            urllib.request.urlopen(f"{self.api}/posts", timeout=5).close()
            return True
        except (urllib.error.URLError, OSError):
            return False

    def _sql(self, statements):
        subprocess.run(["mariadb", f"--socket={self.socket}", "-uroot", "-e", statements], check=True, capture_output=True)

    def posts(self):
        """Every post on the site whatever its status, as (id, status, title), read from the database."""
        result = subprocess.run(["mariadb", f"--socket={self.socket}", "-uroot", "-N", "-B", "wordpress", "-e",
                                 "SELECT ID, post_status, post_title FROM wp_posts WHERE post_type = 'post'"
                                 " AND post_status IN ('pending', 'draft', 'publish') ORDER BY ID"],
                                capture_output=True, text=True, check=True)  # fmt: skip
        return [tuple(line.split("\t")) for line in result.stdout.splitlines()]

    def content(self, post_id, column="post_content"):
        result = subprocess.run(["mariadb", f"--socket={self.socket}", "-uroot", "-N", "-B", "--raw", "wordpress", "-e",
                                 f"SELECT {column} FROM wp_posts WHERE ID = {int(post_id)}"],
                                capture_output=True, text=True, check=True)  # fmt: skip
        return result.stdout

    def excerpt(self, post_id):
        return self.content(post_id, "post_excerpt")

    @staticmethod
    def _wait(ready, what, timeout=60):
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start")
            time.sleep(0.2)

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
