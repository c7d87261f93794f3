# Debian packages (CPack DEB generator), built by packaging/deb.sh from a Release build with
# CMAKE_INSTALL_PREFIX=/usr:
#   jiancha         the desktop client and CLI: binary, assets, .desktop entry, icons, man page
#   jiancha-server  the sync server: binary, form templates, systemd unit, /etc/jiancha/server.conf,
#                   a system user `jiancha` and /var/lib/jiancha (made by the maintainer scripts)
# Each install() rule names its component (client or server); package dependencies are computed
# from the binaries with dpkg-shlibdeps.
include(GNUInstallDirs)
# The maintainer written into the packages: a bureau that builds its own sets JIANCHA_MAINTAINER
# (the changelog's trailer uses the same address).
set(JIANCHA_MAINTAINER "Jiancha developers <jiancha@example.org>" CACHE STRING "Maintainer of the Debian packages")
set(JC_DEB_DIR ${CMAKE_CURRENT_LIST_DIR}/deb)

# Client: desktop entry, icons (hicolor sizes rendered from jiancha.svg), man page, Debian docs.
install(FILES ${JC_DEB_DIR}/jiancha.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT client)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/icons/jiancha.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT client)
foreach(size 16 32 48 64 128 256)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/icons/jiancha-${size}.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps RENAME jiancha.png COMPONENT client)
endforeach()

# Man pages and changelogs are installed gzip-compressed (-n: no name or time stamp, so the
# package is reproducible), as Debian policy asks.
function(jc_gzip_install src dest_dir name component)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/deb-gz/${component}/${name}.gz)
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/deb-gz/${component})
  add_custom_command(OUTPUT ${out} COMMAND gzip -9n -c ${src} > ${out} DEPENDS ${src} VERBATIM)
  add_custom_target(gz_${component}_${name} ALL DEPENDS ${out})
  install(FILES ${out} DESTINATION ${dest_dir} COMPONENT ${component})
endfunction()
jc_gzip_install(${JC_DEB_DIR}/jiancha.1 ${CMAKE_INSTALL_MANDIR}/man1 jiancha.1 client)
jc_gzip_install(${JC_DEB_DIR}/jiancha-server.8 ${CMAKE_INSTALL_MANDIR}/man8 jiancha-server.8 server)
configure_file(${JC_DEB_DIR}/changelog.in ${CMAKE_CURRENT_BINARY_DIR}/deb-changelog @ONLY)
foreach(pkg_comp "jiancha;client" "jiancha-server;server")
  list(GET pkg_comp 0 pkg)
  list(GET pkg_comp 1 comp)
  install(FILES ${JC_DEB_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg} COMPONENT ${comp})
  jc_gzip_install(${CMAKE_CURRENT_BINARY_DIR}/deb-changelog ${CMAKE_INSTALL_DATADIR}/doc/${pkg} changelog.Debian ${comp})
endforeach()

# Server: the templates it seeds at `init`, the working-day calendar (it counts a complaint's
# deadline again when it replaces a receipt time from a wrong clock), its unit and configuration.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/templates ${PROJECT_SOURCE_DIR}/assets/calendar
        DESTINATION ${CMAKE_INSTALL_DATADIR}/jiancha-server/assets COMPONENT server)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/jiancha-server.service DESTINATION lib/systemd/system COMPONENT server)
install(FILES ${JC_DEB_DIR}/server.conf DESTINATION /etc/jiancha COMPONENT server)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME jiancha)
set(CPACK_PACKAGE_VENDOR "Jiancha developers")
set(CPACK_PACKAGE_CONTACT "${JIANCHA_MAINTAINER}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL client server)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")  # packaging/cross-arm64.sh
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
endif()
if(CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")  # packaging/cross-arm64.sh
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://jiancha.invalid/")

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME jiancha)
set(CPACK_DEBIAN_CLIENT_PACKAGE_DEPENDS "fonts-noto-cjk")
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "fonts-arphic-ukai, fonts-hanazono, fonts-babelstone-han, fonts-dejavu-core, zenity")
set(CPACK_COMPONENT_CLIENT_DESCRIPTION
  "field inspection client for efficiency supervision (监察)\nOffline-first desktop client and command line for inspectors, team leads and\nheadquarters of a supervision bureau: findings, complaints, rectifications,\nwarnings and statistics in a local store that syncs with headquarters.")

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME jiancha-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser")
set(CPACK_COMPONENT_SERVER_DESCRIPTION
  "headquarters sync server for the Jiancha (监察) field client\nReceives the field-level changes of enrolled laptops, resolves conflicts,\nassigns official case numbers and serves every device its team's records and\nevidence files. Runs as a hardened systemd service on SQLite.")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
  "${JC_DEB_DIR}/server/conffiles;${JC_DEB_DIR}/server/postinst;${JC_DEB_DIR}/server/prerm;${JC_DEB_DIR}/server/postrm")

include(CPack)
