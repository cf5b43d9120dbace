# The two commands a newcomer needs:
#   make site   installs what is missing, builds Patella (release) and the site into Output/
#   make test   installs what is missing and runs every test
SWIFT ?= swift
PATELLA_RELEASE := .build/release/patella
# Debian packages the build needs (cmark-gfm's library, headers and GFM extensions).
BUILD_DEBS := libcmark-gfm-dev libcmark-gfm-extensions-dev pkg-config
APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

.PHONY: site test deps serve clean

site: deps
	$(SWIFT) build -c release --product patella
	$(PATELLA_RELEASE) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

# Installs the Debian packages that are missing, and only those.
deps:
	@missing=""; \
	for p in $(BUILD_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq $$missing; \
	fi

# View the built site at http://127.0.0.1:8000/ (any static server works).
serve:
	python3 -m http.server --bind 127.0.0.1 --directory Output 8000

clean:
	rm -rf .build Output/* Output/.patella-output
