# Builds a site folder that has site.json and content/ only (examples/derby-city) with the repository's themes,
# as a user would: cmake -DPLAINSIGHT=… -DSITE=… -DTHEMES=… -DWORK=… -P build_fixture_site.cmake
# The built site is WORK/public. A site without one gets the accessibility statement every site's
# footer links to.
file(REMOVE_RECURSE ${WORK})
file(COPY ${SITE}/ DESTINATION ${WORK})
file(COPY ${THEMES} DESTINATION ${WORK})
if(NOT EXISTS ${WORK}/content/accessibility.md)
  file(WRITE ${WORK}/content/accessibility.md "---\ntitle: Accessibility\n---\n\nHow this site meets WCAG 2.2 AA.\n")
endif()
execute_process(COMMAND ${PLAINSIGHT} build --strict --quiet --site ${WORK} --out ${WORK}/public RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "plainsight build of ${SITE} failed (${result})")
endif()
